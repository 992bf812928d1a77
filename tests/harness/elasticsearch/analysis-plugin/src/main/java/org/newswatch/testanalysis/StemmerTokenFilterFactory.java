package org.newswatch.testanalysis;

import java.util.Locale;
import java.util.Set;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.LovinsStemmer;

/**
 * The English part of analysis-common's {@code stemmer} filter: {@code language} (or
 * {@code name}) picks the same Lucene stemmer Elasticsearch picks for that value.
 */
final class StemmerTokenFilterFactory extends AbstractTokenFilterFactory {

    private static final Set<String> LANGUAGES = Set.of(
        "english", "porter", "light_english", "lightenglish", "kstem", "minimal_english", "minimalenglish",
        "possessive_english", "possessiveenglish", "porter2", "lovins");

    private final String language;

    StemmerTokenFilterFactory(String name, Settings settings) {
        this(name, settings, settings.get("language", settings.get("name", "porter")));
    }

    StemmerTokenFilterFactory(String name, Settings settings, String language) {
        super(name, settings);
        this.language = language.toLowerCase(Locale.ROOT);
        // Reject an unknown language when the index is created, not at the first document.
        if (!LANGUAGES.contains(this.language)) {
            throw new IllegalArgumentException(
                "stemmer language [" + language + "] is not provided by the newswatch test analysis plugin "
                    + "(English stemmers only; production Elasticsearch has them all)");
        }
    }

    @Override
    public TokenStream create(TokenStream input) {
        return switch (language) {
            case "english", "porter" -> new PorterStemFilter(input);
            case "light_english", "lightenglish", "kstem" -> new KStemFilter(input);
            case "minimal_english", "minimalenglish" -> new EnglishMinimalStemFilter(input);
            case "possessive_english", "possessiveenglish" -> new EnglishPossessiveFilter(input);
            case "porter2" -> new SnowballFilter(input, new EnglishStemmer());
            default -> new SnowballFilter(input, new LovinsStemmer()); // "lovins"
        };
    }
}
