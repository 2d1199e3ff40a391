/// The search stages: the analysis of every published page's text into one corpus per language, then
/// from the corpora the related articles and the static search index. Each keeps its results for the
/// next build under the hash of its typed input (`StageKey`).

/// What the analysis of every published page produced: per language, the corpus that the search index
/// and related articles share.
struct Analysis: Sendable {
    var corpora: [LanguageCorpus]
    /// Per corpus, the site document index of each of its pages.
    var pages: [[Int]]
    /// Per language, a key for all of its pages' analysis inputs together.
    var languageKeys: [String: UInt64]
}

/// The analysis stage: each page's title, summary, tags and section text through its language's analyzer.
enum AnalysisStage {
    /// One page's analysis: the page (`document`, whose text the Markdown stage's key stands for) is the
    /// input and the key; `index`, the page's place among the site's documents, only says where the
    /// result goes (a page inserted before it does not make its analysis stale).
    struct Input: Sendable {
        var index: Int
        var document: SearchDocument
    }

    /// What the search index (and related articles) sees of each published page.
    static func inputs(_ site: SiteIndex, _ rendered: [RenderedDocument]) -> [Input] {
        let config = site.config
        var out: [Input] = []
        // Fallback copies are left out: their text is in another language than the index's analysis.
        for (i, d) in site.documents.enumerated() where !d.frontMatter.draft && d.fallbackFrom == nil {
            var context = config.categoryTitle(d.group, d.language)
            var segments = d.frontMatter.segments ?? []
            if d.kind == .guide, let stage = d.frontMatter.stage.flatMap(config.stage), let segment = config.segment(d.group) {
                context = config.text(stage.title, d.language) + " · " + config.text(segment.title, d.language)
                segments = [segment.id]
            }
            let document = SearchDocument(
                language: d.language, urlPath: d.urlPath, title: d.title, summary: d.frontMatter.summary, tags: d.frontMatter.tags, kind: d.kind,
                context: context, segments: segments, stage: d.kind == .guide ? d.frontMatter.stage : nil,
                sections: Keyed(key: rendered[i].key, value: rendered[i].sections), order: "\(d.kind.rawValue)/\(d.group)/\(d.sourcePath)")
            out.append(Input(index: i, document: document))
        }
        return out
    }

    /// Analyses the pages, reusing what `memo` holds for unchanged inputs, and groups them into corpora.
    static func run(_ inputs: [Input], languages: [String], memo: StageMemo<SearchIndexBuilder.Analyzed>?) -> Analysis {
        var documents = inputs.map(\.document)
        var analyzed: [SearchIndexBuilder.Analyzed]
        var languageKeys: [String: UInt64] = [:]
        if let memo {
            let keys = inputs.map { StageKey.of($0.document) }
            var reused = inputs.indices.map { memo.value(documents[$0].urlPath, key: keys[$0]) }
            let missing = reused.indices.filter { reused[$0] == nil }
            for (i, a) in zip(missing, SearchIndexBuilder.analyze(missing.map { documents[$0] })) {
                reused[i] = a
                memo.store(documents[i].urlPath, key: keys[i], a)
            }
            analyzed = reused.map { $0! }
            for (language, indices) in Dictionary(grouping: documents.indices, by: { documents[$0].language }) {
                languageKeys[language] = StageKey.of(indices.map { keys[$0] })
            }
        } else {
            analyzed = SearchIndexBuilder.analyze(documents)
        }
        // The analysis holds what the index and related articles need of the text: the corpora keep none.
        for i in documents.indices { documents[i].sections = Keyed(key: 0, value: []) }
        let corpora = SearchIndexBuilder.corpora(documents, analyzed, languages: languages)
        return Analysis(corpora: corpora, pages: corpora.map { $0.sources.map { inputs[$0].index } }, languageKeys: languageKeys)
    }
}

/// The related-articles stage: each article's related articles (site document indices), per language.
enum RelatedStage {
    /// A language's related articles read its corpus (whose analysis key stands for it) and the site
    /// document numbering of its pages.
    struct Input: Hashable {
        var analysis: UInt64
        var pages: [Int]
    }

    static func key(_ analysis: Analysis, corpus i: Int) -> UInt64 {
        StageKey.of(Input(analysis: analysis.languageKeys[analysis.corpora[i].language] ?? 0, pages: analysis.pages[i]))
    }

    static func run(_ analysis: Analysis, memo: StageMemo<[Int: [Int]]>?) -> [Int: [Int]] {
        guard let memo else { return RelatedPages.compute(analysis.corpora, pages: analysis.pages) }
        var out: [Int: [Int]] = [:]
        var stale: [Int] = []
        for (i, corpus) in analysis.corpora.enumerated() {
            if let cached = memo.value(corpus.language, key: key(analysis, corpus: i)) { out.merge(cached) { a, _ in a } } else { stale.append(i) }
        }
        let fresh = RelatedPages.compute(stale.map { analysis.corpora[$0] }, pages: stale.map { analysis.pages[$0] })
        for i in stale {
            let part = Dictionary(uniqueKeysWithValues: analysis.pages[i].compactMap { page in fresh[page].map { (page, $0) } })
            memo.store(analysis.corpora[i].language, key: key(analysis, corpus: i), part)
            out.merge(part) { a, _ in a }
        }
        return out
    }
}

/// The search index stage: each language's static index files (`search/<lang>/…`).
struct SearchIndexStage: Sendable {
    /// The site-wide inputs of every language's index: filters, synonyms, base path, featured pages and
    /// the interface strings meta.json carries.
    let builder: SearchIndexBuilder

    /// A language's index reads its corpus (whose analysis key stands for it) and the builder's settings
    /// for that language.
    struct Input: Hashable {
        var analysis: UInt64
        var segments: [String]
        var stages: [String]
        var synonyms: [[String]]
        var basePath: String
        /// Interface strings and featured pages, each as its name followed by its values.
        var strings: [[String]]
        var featured: [[String]]
        var fragmentChunkSize: Int
        var targetShardBytes: Int
    }

    func key(_ analysis: Analysis, language: String) -> UInt64 {
        StageKey.of(
            Input(
                analysis: analysis.languageKeys[language] ?? 0, segments: builder.segments, stages: builder.stages,
                synonyms: builder.synonyms[language] ?? [], basePath: builder.basePath, strings: (builder.strings[language] ?? []).map { [$0.0, $0.1] },
                featured: (builder.featured[language] ?? []).map { [$0.0] + $0.1 }, fragmentChunkSize: builder.fragmentChunkSize,
                targetShardBytes: builder.targetShardBytes))
    }

    /// Every language's index files (path, bytes), reusing a language's previous files when its key is unchanged.
    func run(_ analysis: Analysis, memo: StageMemo<[(String, [UInt8])]>?) -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = []
        var stale: [LanguageCorpus] = []
        for corpus in analysis.corpora {
            if let cached = memo?.value(corpus.language, key: key(analysis, language: corpus.language)) { files += cached } else { stale.append(corpus) }
        }
        let builder = self.builder
        for (corpus, built) in zip(stale, stale.concurrentMap { builder.encode($0) }) {
            memo?.store(corpus.language, key: key(analysis, language: corpus.language), built)
            files += built
        }
        return files
    }
}
