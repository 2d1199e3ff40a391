// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Waymark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "waymark", targets: ["waymark"]),
        .library(name: "WaymarkKit", targets: ["WaymarkKit"]),
        // For the fuzz targets on its parsers (Fuzz/); the core does not depend on it.
        .library(name: "WaymarkServe", targets: ["WaymarkServe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // cmark-gfm and its GFM extensions from Debian's libcmark-gfm-dev / libcmark-gfm-extensions-dev.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // Snowball stemmers from Debian's libstemmer-dev (no pkg-config file: linked by name).
        .systemLibrary(name: "CStemmer", providers: [.apt(["libstemmer-dev"])]),
        // zlib and Brotli encoders (Debian's zlib1g-dev, libbrotli-dev) for precompressed output.
        .systemLibrary(name: "CCompression", pkgConfig: "libbrotlienc", providers: [.apt(["zlib1g-dev", "libbrotli-dev"])]),
        // Small POSIX helpers Swift cannot call directly (renameat2 for the atomic output swap).
        .systemLibrary(name: "CWaymarkSupport"),
        // GNU source-highlight (Debian's libsource-highlight-dev, C++) behind a few C functions: the one
        // place that speaks C++ to it; Markdown/CodeHighlighter.swift writes the HTML.
        .target(
            name: "CWaymarkHighlight",
            linkerSettings: [.linkedLibrary("source-highlight")]
        ),
        .target(
            name: "WaymarkKit",
            dependencies: [
                "CCmarkGFM",
                "CWaymarkSupport",
                "CWaymarkHighlight",
                "CStemmer",
                "CCompression",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The live preview server: a separate module so the library builds and tests without it.
        .target(
            name: "WaymarkServe",
            dependencies: ["WaymarkKit"]
        ),
        .executableTarget(
            name: "waymark",
            dependencies: [
                "WaymarkKit",
                "WaymarkServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "WaymarkKitTests",
            dependencies: ["WaymarkKit", "WaymarkServe"],
            path: "Tests/WaymarkKitTests"
        ),
    ]
)
