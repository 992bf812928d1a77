package org.newswatch.testanalysis;

import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;

/** The {@code lowercase} filter; optional {@code language}: greek, irish or turkish. */
final class LowerCaseTokenFilterFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {

    private final String language;

    LowerCaseTokenFilterFactory(String name, Settings settings) {
        super(name, settings);
        this.language = settings.get("language");
        if (language != null && !language.matches("(?i)greek|irish|turkish")) {
            throw new IllegalArgumentException("language [" + language + "] not support for lower case");
        }
    }

    @Override
    public TokenStream create(TokenStream input) {
        if (language == null) {
            return new LowerCaseFilter(input);
        }
        return switch (language.toLowerCase(java.util.Locale.ROOT)) {
            case "greek" -> new GreekLowerCaseFilter(input);
            case "irish" -> new IrishLowerCaseFilter(input);
            default -> new TurkishLowerCaseFilter(input);
        };
    }
}
