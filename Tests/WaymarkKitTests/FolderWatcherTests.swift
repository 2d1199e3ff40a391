import Foundation
import Testing

@testable import WaymarkServe

/// The preview's change detection: kernel notifications, one change per burst of saves, new folders watched.
@Suite("Folder watcher")
struct FolderWatcherTests {
    /// Collects the watcher's changes.
    final class Changes: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [FolderWatcher.Change] = []
        func append(_ c: FolderWatcher.Change) { lock.withLock { list.append(c) } }
        var all: [FolderWatcher.Change] { lock.withLock { list } }

        /// Waits until `count` changes arrived (or 5 s passed), then a little longer for any extra one.
        func wait(for count: Int) -> [FolderWatcher.Change] {
            let deadline = Date().addingTimeInterval(5)
            while all.count < count, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            Thread.sleep(forTimeInterval: 0.3)
            return all
        }
    }

    @Test("a burst of saves is one change naming every file; files in a new folder are seen")
    func burstsAndNewFolders() throws {
        let tree = try TempTree(["content/en/a.md": "a"])
        let root = tree.path + "/content"
        // A wider quiet window than the default 12 ms, so a busy test machine cannot split the burst.
        let watcher = FolderWatcher(folders: [root], quiet: .milliseconds(150), longest: .milliseconds(1000))
        let changes = Changes()
        watcher.start { changes.append($0) }
        defer { watcher.stop() }
        #expect(watcher.mechanism == "inotify")
        Thread.sleep(forTimeInterval: 0.2)

        // An editor saving five files at once, one of them through a temporary file and a rename.
        for name in ["a", "b", "c", "d"] { try tree.write("content/en/\(name).md", "new \(name)") }
        try tree.write("content/en/.e.md.tmp", "e")
        try FileManager.default.moveItem(atPath: root + "/en/.e.md.tmp", toPath: root + "/en/e.md")
        var seen = changes.wait(for: 1)
        #expect(seen.count == 1, "a burst of saves became \(seen.count) changes")
        let paths = try #require(seen.first?.paths)
        for name in ["a", "b", "c", "d", "e"] { #expect(paths.contains(root + "/en/\(name).md"), "\(name).md missing from \(paths)") }

        // A new folder, then a file in it.
        try FileManager.default.createDirectory(atPath: root + "/vi/articles", withIntermediateDirectories: true)
        Thread.sleep(forTimeInterval: 0.2)
        try tree.write("content/vi/articles/x.md", "x")
        seen = changes.wait(for: 3)
        #expect(seen.dropFirst().contains { $0.paths?.contains(root + "/vi/articles/x.md") == true }, "\(seen.map(\.paths))")
    }
}
