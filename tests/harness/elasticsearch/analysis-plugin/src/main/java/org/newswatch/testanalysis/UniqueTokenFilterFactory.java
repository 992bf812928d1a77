package org.newswatch.testanalysis;

import java.io.IOException;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;

/**
 * The {@code unique} filter: drops tokens seen before in the stream, or only at the same
 * position with {@code only_on_same_position}. Used by Elasticsearch's own security index.
 */
final class UniqueTokenFilterFactory extends AbstractTokenFilterFactory {

    private final boolean onlyOnSamePosition;

    UniqueTokenFilterFactory(String name, Settings settings) {
        super(name, settings);
        onlyOnSamePosition = settings.getAsBoolean("only_on_same_position", false);
    }

    @Override
    public TokenStream create(TokenStream input) {
        return new UniqueTokenFilter(input, onlyOnSamePosition);
    }

    private static final class UniqueTokenFilter extends TokenFilter {

        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute positionIncrement = addAttribute(PositionIncrementAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);
        private final boolean onlyOnSamePosition;

        UniqueTokenFilter(TokenStream input, boolean onlyOnSamePosition) {
            super(input);
            this.onlyOnSamePosition = onlyOnSamePosition;
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                boolean duplicate;
                if (onlyOnSamePosition) {
                    if (positionIncrement.getPositionIncrement() > 0) {
                        seen.clear();
                    }
                    duplicate = positionIncrement.getPositionIncrement() == 0
                        && seen.contains(term.buffer(), 0, term.length());
                } else {
                    duplicate = seen.contains(term.buffer(), 0, term.length());
                }
                seen.add(term.toString());
                if (!duplicate) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }
}
