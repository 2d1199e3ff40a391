import Foundation
import WaymarkKit
import WaymarkServe

/// The target `WAYMARK_FUZZ_TARGET` names (document, query, site-config, linear-time, image, events, http-head or
/// websocket); one executable serves them all because libFuzzer's entry points are C symbols a process can define only once.
nonisolated(unsafe) private var target: ([UInt8]) -> Void = { _ in }

/// libFuzzer calls this with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer's driver.
@_cdecl("WaymarkFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["WAYMARK_FUZZ_TARGET"] ?? ""
    // The pipeline's targets and the preview server's (its parsers stay in its own module).
    let targets = FuzzTargets.all.merging(ServeFuzzTargets.all) { pipeline, _ in pipeline }
    guard let chosen = targets[name] else {
        FileHandle.standardError.write(Data("set WAYMARK_FUZZ_TARGET to one of: \(targets.keys.sorted().joined(separator: ", "))\n".utf8))
        return 2
    }
    target = chosen
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runDriver(&count, &arguments, fuzz)
}

/// LeakSanitizer's built-in suppressions, for a leak that is not ours: swift-corelibs-foundation's
/// `XMLParser` (the SVG reader's) creates a CFString for its error domain in
/// `_CFErrorCreateFromXMLInterface` for every problem libxml2 reports and never releases it, 72 bytes
/// each. `SVGReader` bounds how many it lets libxml2 report per file.
@_cdecl("__lsan_default_suppressions")
public func lsanDefaultSuppressions() -> UnsafePointer<CChar> {
    UnsafeRawPointer(StaticString("leak:_CFErrorCreateFromXMLInterface\n").utf8Start).assumingMemoryBound(to: CChar.self)
}
