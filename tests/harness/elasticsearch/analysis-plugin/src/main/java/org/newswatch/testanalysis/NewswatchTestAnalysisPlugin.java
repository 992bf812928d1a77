package org.newswatch.testanalysis;

import java.util.List;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Registers the analysis-common names newswatch's mappings (and Elasticsearch's own security
 * index) use, with analysis-common's parameters, because the integ-test-zip distribution ships
 * without that module.
 */
public class NewswatchTestAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "lowercase", (indexSettings, env, name, settings) -> new LowerCaseTokenFilterFactory(name, settings),
            "asciifolding", (indexSettings, env, name, settings) -> new AsciiFoldingTokenFilterFactory(name, settings),
            "stemmer", (indexSettings, env, name, settings) -> new StemmerTokenFilterFactory(name, settings),
            "porter_stem", (indexSettings, env, name, settings) -> new StemmerTokenFilterFactory(name, settings, "porter"),
            "kstem", (indexSettings, env, name, settings) -> new StemmerTokenFilterFactory(name, settings, "light_english"),
            // Elasticsearch's own .security index needs these once security is on.
            "pattern_capture", AnalysisPlugin.requiresAnalysisSettings(
                (indexSettings, env, name, settings) -> new PatternCaptureTokenFilterFactory(name, settings)),
            "unique", (indexSettings, env, name, settings) -> new UniqueTokenFilterFactory(name, settings)
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of(
            "uax_url_email", (indexSettings, env, name, settings) -> new UaxUrlEmailTokenizerFactory(indexSettings, settings, name)
        );
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("english", EnglishAnalyzerProvider::new);
    }

    /** Names usable in an analyzer's filter list without a definition, as in analysis-common. */
    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("asciifolding", true, input -> new ASCIIFoldingFilter(input)),
            PreConfiguredTokenFilter.singleton("porter_stem", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("kstem", false, KStemFilter::new),
            PreConfiguredTokenFilter.singleton("stemmer", false, PorterStemFilter::new)
        );
    }
}
