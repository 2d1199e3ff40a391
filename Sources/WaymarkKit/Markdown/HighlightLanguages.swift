/// Language definitions in GNU source-highlight's `.lang` format for the languages its Debian package
/// lacks, compiled into Waymark (`CodeHighlighter` writes each to a temporary folder, parses it, and
/// removes the folder). Each is self-contained: source-highlight looks up an `include` only in the folder
/// of the including file. Rule syntax: https://www.gnu.org/software/src-highlite/source-highlight.html;
/// element names map to Waymark's classes in `Sources/CWaymarkHighlight/highlight.cpp`.
enum HighlightLanguages {
    static let definitions: [String: String] = [
        "yaml.lang": #"""
        # YAML (source-highlight has no definition)
        comment = '^[[:blank:]]*#.*$'
        (normal,comment) = `([[:blank:]]+)(#.*$)`
        preproc = '^(---|\.\.\.)(?=[[:blank:]]|$)'
        (normal,key,normal) = `(^[[:blank:]]*(?:-[[:blank:]]+)*)([^-#:'"{}\[\],&*![:blank:]][^#:{}\[\],]*?|"[^"]*"|'[^']*')([[:blank:]]*:(?=[[:blank:]]|$))`
        (key,normal) = `([[:alnum:]_][[:alnum:]_ -]*?)(:(?=[[:blank:]]))`
        string delim "\"" "\"" escape "\\"
        string delim "'" "'"
        variable = '[&*][[:alnum:]_-]+'
        type = '!![[:alpha:]]+|![[:alnum:]_-]*'
        keyword = "true|false|null|yes|no|on|off|True|False|Null|TRUE|FALSE|NULL"
        number = '\<[+-]?(0x[[:xdigit:]]+|[[:digit:]]+(\.[[:digit:]]+)?([eE][+-]?[[:digit:]]+)?)\>'
        """#,
        "typescript.lang": #"""
        # TypeScript (source-highlight has no definition): the rules of its javascript.lang with TypeScript's words
        comment start "//"
        comment delim "/*" "*/" multiline
        string delim "\"" "\"" escape "\\"
        string delim "'" "'" escape "\\"
        string delim "`" "`" escape "\\" multiline
        keyword = "abstract|as|async|await|break|case|catch|class|const|continue|debugger|declare|default|delete|do|else|enum|export|extends|false|finally|for|from|function|get|if|implements|import|in|infer|instanceof|interface|is|keyof|let|module|namespace|new|null|of|private|protected|public|readonly|return|satisfies|set|static|super|switch|this|throw|true|try|type|typeof|undefined|var|void|while|with|yield"
        type = "any|bigint|boolean|never|number|object|string|symbol|unknown"
        number = '\<(0x[[:xdigit:]]+|(?:[[:digit:]]*\.)?[[:digit:]]+(?:[eE][+-]?[[:digit:]]+)?)n?\>'
        function = '[[:alpha:]_$][[:alnum:]_$]*(?=[[:blank:]]*\()'
        """#,
        "swift.lang": #"""
        # Swift (source-highlight has no definition)
        comment start "//"
        comment delim "/*" "*/" multiline nested
        string delim "\"\"\"" "\"\"\"" multiline
        string delim "\"" "\"" escape "\\"
        keyword = "actor|any|as|associatedtype|async|await|break|case|catch|class|continue|default|defer|deinit|do|else|enum|extension|fallthrough|false|fileprivate|final|for|func|guard|if|import|in|indirect|init|inout|internal|is|lazy|let|mutating|nil|nonisolated|open|operator|override|private|protocol|public|repeat|rethrows|return|self|Self|some|static|struct|subscript|super|switch|throw|throws|true|try|typealias|var|weak|where|while"
        preproc = '@[[:alpha:]_][[:alnum:]_]*|#[[:alpha:]]+'
        type = '\<[[:upper:]][[:alnum:]_]*\>'
        number = '\<(0x[[:xdigit:]_]+|0b[01_]+|[[:digit:]][[:digit:]_]*(\.[[:digit:]_]+)?([eE][+-]?[[:digit:]]+)?)\>'
        function = '[[:alpha:]_][[:alnum:]_]*(?=[[:blank:]]*\()'
        """#,
        "http.lang": #"""
        # HTTP requests and responses (source-highlight has no definition)
        (keyword,normal,string,normal,type) = `(^[A-Z]+)([[:blank:]]+)([^[:blank:]]+)([[:blank:]]+)(HTTP/[0-9.]+(?=[[:blank:]]*$))`
        (type,normal,number) = `(^HTTP/[0-9.]+)([[:blank:]]+)([0-9]{3})`
        (key,normal) = `(^[!#$%&'*+.^_|~[:alnum:]-]+)(:)`
        string delim "\"" "\"" escape "\\"
        keyword = "true|false|null"
        number = '\<-?[[:digit:]]+(\.[[:digit:]]+)?([eE][+-]?[[:digit:]]+)?\>'
        """#,
    ]
}
