import Foundation
import WaymarkKit

/// Terminal output: a live progress line when stderr is a terminal, plain lines in CI logs, nothing
/// with `--quiet` (diagnostics are always printed).
final class Console: @unchecked Sendable {
    let quiet: Bool
    let interactive: Bool
    let timings: Bool
    private let lock = NSLock()
    private var lineOpen = false
    private var phases: [(String, ContinuousClock.Instant)] = []

    init(quiet: Bool, timings: Bool = false) {
        self.quiet = quiet
        self.timings = timings
        interactive = isatty(STDERR_FILENO) == 1
    }

    var progressHandler: (@Sendable (BuildEvent) -> Void)? {
        if quiet && !timings { return nil }
        return { [self] event in
            lock.lock()
            defer { lock.unlock() }
            switch event {
            case .phase(let name):
                phases.append((name, .now))
                if quiet { return }
                if interactive {
                    emit("\r\u{1B}[2K\(name)…")
                    lineOpen = true
                } else {
                    emit("\(name)\n")
                }
            case .pages(let done, let total):
                if interactive, !quiet {
                    emit("\r\u{1B}[2Krendering \(done)/\(total) pages")
                    lineOpen = true
                }
            }
        }
    }

    func finishProgress() {
        lock.lock()
        defer { lock.unlock() }
        if lineOpen { emit("\r\u{1B}[2K") }
        lineOpen = false
        guard timings else { return }
        defer { phases = [] }
        let end = ContinuousClock.now
        for (i, (name, start)) in phases.enumerated() {
            let stop = i + 1 < phases.count ? phases[i + 1].1 : end
            emit(String(format: "%8.3f s  %@\n", (stop - start).seconds, name))
        }
    }

    func printDiagnostics(_ diagnostics: [Diagnostic], formatter: DiagnosticFormatter) {
        for d in diagnostics { emit(formatter.text(d) + "\n") }
    }

    func summary(_ line: String) {
        if !quiet { emit(line + "\n") }
    }

    private func emit(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
