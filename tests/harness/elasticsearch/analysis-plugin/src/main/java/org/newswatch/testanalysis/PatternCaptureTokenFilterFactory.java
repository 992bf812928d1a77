package org.newswatch.testanalysis;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;

/**
 * The {@code pattern_capture} filter: {@code patterns} (required), {@code preserve_original}
 * (default true). Elasticsearch's own security index analyses e-mail addresses with it.
 */
final class PatternCaptureTokenFilterFactory extends AbstractTokenFilterFactory {

    private final Pattern[] patterns;
    private final boolean preserveOriginal;

    PatternCaptureTokenFilterFactory(String name, Settings settings) {
        super(name, settings);
        List<String> regexes = settings.getAsList("patterns");
        if (regexes.isEmpty()) {
            throw new IllegalArgumentException("required setting 'patterns' is missing for token filter [" + name + "]");
        }
        patterns = regexes.stream().map(Pattern::compile).toArray(Pattern[]::new);
        preserveOriginal = settings.getAsBoolean("preserve_original", true);
    }

    @Override
    public TokenStream create(TokenStream input) {
        return new PatternCaptureGroupTokenFilter(input, preserveOriginal, patterns);
    }
}
