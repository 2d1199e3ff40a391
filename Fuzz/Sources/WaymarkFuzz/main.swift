import Foundation
import WaymarkKit

/// The target `WAYMARK_FUZZ_TARGET` names (document, query, site-config, linear-time, image or events); one executable serves them
/// all because libFuzzer's entry points are C symbols a process can define only once.
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
    guard let chosen = FuzzTargets.all[name] else {
        FileHandle.standardError.write(Data("set WAYMARK_FUZZ_TARGET to one of: \(FuzzTargets.all.keys.sorted().joined(separator: ", "))\n".utf8))
        return 2
    }
    target = chosen
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runDriver(&count, &arguments, fuzz)
}
