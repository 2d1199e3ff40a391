// swift-tools-version:6.0
// libFuzzer targets, kept out of the main package because they have no `main` (libFuzzer provides it)
// and build only with -sanitize=fuzzer. Run them with `make fuzz`.
import Foundation
import PackageDescription

// The main package is the parent folder; SwiftPM names a path dependency after its folder.
let parent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "WaymarkFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "WaymarkFuzz", dependencies: [.product(name: "WaymarkKit", package: parent), .product(name: "WaymarkServe", package: parent)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    ]
)
