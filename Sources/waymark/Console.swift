import Foundation
import WaymarkKit

/// Terminal output: a live progress line when stderr is a terminal, plain lines in CI logs, nothing
/// with `--quiet` (diagnostics are always printed).
final class Console: @unchecked Sendable {
    let quiet: Bool
    let interactive: Bool
    private let lock = NSLock()
    private var lineOpen = false

    init(quiet: Bool) {
        self.quiet = quiet
        interactive = isatty(STDERR_FILENO) == 1
    }

    var progressHandler: (@Sendable (BuildEvent) -> Void)? {
        if quiet { return nil }
        return { [self] event in
            lock.lock()
            defer { lock.unlock() }
            switch event {
            case .phase(let name):
                if interactive { emit("\r\u{1B}[2K\(name)…"); lineOpen = true } else { emit("\(name)\n") }
            case .pages(let done, let total):
                if interactive { emit("\r\u{1B}[2Krendering \(done)/\(total) pages"); lineOpen = true }
            }
        }
    }

    func finishProgress() {
        lock.lock()
        defer { lock.unlock() }
        if lineOpen { emit("\r\u{1B}[2K") }
        lineOpen = false
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
