import WaymarkKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTargets.document(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
