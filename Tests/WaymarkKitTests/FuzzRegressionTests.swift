import Foundation
import Testing
import WaymarkServe

@testable import WaymarkKit

/// Replays every input the fuzzers found crashing (and the seed corpus), so a fixed crash stays fixed.
/// `make fuzz` writes new crashers into Tests/Fixtures/fuzz-regressions/<target>/.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func inputs(_ target: String) -> [String] {
        let folders = [Repo.fixtures + "/fuzz-regressions/" + target, Repo.root + "/Fuzz/corpus/" + target]
        return folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
        }
    }

    @Test("image files", arguments: inputs("image"))
    func image(_ path: String) throws {
        FuzzTargets.image(try FileSystem.readBytes(path))
    }

    @Test("documents", arguments: inputs("document"))
    func document(_ path: String) throws {
        FuzzTargets.document(try FileSystem.readBytes(path))
    }

    @Test("site.yml files", arguments: inputs("site-config"))
    func siteConfig(_ path: String) throws {
        FuzzTargets.siteConfig(try FileSystem.readBytes(path))
    }

    /// Units the linear-time target found (or was seeded with), replayed for crashes; their timing is
    /// checked by `make fuzz` and `make bench-linear`, not here.
    @Test("nesting units", arguments: inputs("linear-time"))
    func nesting(_ path: String) throws {
        let unit = try FileSystem.readBytes(path)
        let half = unit.count / 2
        FuzzTargets.document(Array(repeating: unit[..<half], count: 500).flatMap { $0 } + Array(repeating: unit[half...], count: 500).flatMap { $0 })
    }

    /// The linear-time target judges growth by the rendering thread's CPU time, so a machine busy with
    /// other work (four builds on two cores) does not make a linear shape look superlinear.
    @Test("the linear-time measure does not count time spent off the CPU")
    func linearTimeMeasure() {
        let start = DispatchTime.now().uptimeNanoseconds
        let asleep = FuzzTargets.threadCPUSeconds { usleep(200_000) }
        #expect(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 >= 0.2)
        #expect(asleep < 0.02)
        var sum = 0
        let working = FuzzTargets.threadCPUSeconds { for i in 0..<20_000_000 { sum &+= i &* i } }
        #expect(sum != 0)
        #expect(working > 0.001)
    }

    @Test("a linear shape is not a finding while other threads hold every core")
    func linearTimeUnderLoad() {
        let stop = ManagedAtomicFlag()
        let busy = (0..<4).map { _ in
            Thread {
                var x = 0
                while !stop.isSet { for i in 0..<100_000 { x &+= i } }
                _ = x
            }
        }
        for thread in busy { thread.start() }
        defer { stop.set() }
        for seed in ["*a  b*", "[a](u) x", "![a](u)"] {
            let growth = FuzzTargets.linearTime(Array(seed.utf8), units: 1000)
            #expect(growth.waymark < 8, "\(seed): \(growth)")
        }
    }

    @Test("event logs", arguments: inputs("events"))
    func events(_ path: String) throws {
        FuzzTargets.events(try FileSystem.readBytes(path))
    }

    @Test("search queries", arguments: inputs("query"))
    func query(_ path: String) throws {
        FuzzTargets.query(try FileSystem.readBytes(path))
    }

    @Test("HTTP request heads", arguments: inputs("http-head"))
    func httpHead(_ path: String) throws {
        ServeFuzzTargets.httpHead(try FileSystem.readBytes(path))
    }

    @Test("WebSocket frames", arguments: inputs("websocket"))
    func webSocket(_ path: String) throws {
        ServeFuzzTargets.webSocket(try FileSystem.readBytes(path))
    }

    @Test("hand-written nasty inputs")
    func nasty() {
        let cases = [
            "---\n---\n", "---", "---\n", "\u{FEFF}---\ntitle: x\n---\n", "---\ntitle: [\n---\n",
            "- [ ] {#}\n- [ ] {#a b}\n- [ ] x {#a}\n- [ ] y {#a}\n", "## {#}\n## \u{200C}\n## 🙂\n",
            "[x](%)\n[y](%%41)\n[z](../../../../x.md#%E0%A4%A)\n[w](<a b.md>)\n", String(repeating: "[", count: 50_000),
            String(repeating: "*a", count: 20_000), "| a |\n|---|\n" + String(repeating: "|", count: 10_000),
        ]
        for c in cases { FuzzTargets.document(Array(c.utf8)) }
        for q in ["", " ", "\u{0}", "می", "ها", "می ها می", String(repeating: "a", count: 5000), "a\u{0301}\u{0301}\u{0301}", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﬁ ＡＢ"] {
            FuzzTargets.query(Array(q.utf8))
        }
        FuzzTargets.document([0xFF, 0xFE, 0x00, 0xC3])
    }
}

/// A flag the load threads of `linearTimeUnderLoad` poll.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
