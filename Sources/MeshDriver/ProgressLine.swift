import Foundation
import MeshRuntime

/// The line `meshc run` keeps up to date on a terminal while products run: per product,
/// records in and their rate, what was dead-lettered and late, and the lag (input files
/// or upstream records not read yet). Redrawn at most four times a second, on standard
/// error, and erased before the summary is printed.
final class ProgressLine {
  private let write: (String) -> Void
  private var lastDrawn: UInt64 = 0
  private var started: [String: UInt64] = [:]
  private var drawn = false

  init(write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
    self.write = write
  }

  func update(_ progress: RunProgress) {
    let now = DispatchTime.now().uptimeNanoseconds
    let start = started[progress.summary.product] ?? now
    started[progress.summary.product] = start
    guard now - lastDrawn >= 250_000_000 else { return }
    lastDrawn = now
    drawn = true
    write("\r\u{1B}[K" + Self.text(progress, seconds: Double(now - start) / 1e9))
  }

  /// Erases the line, so that what follows starts on a clean one.
  func clear() {
    if drawn { write("\r\u{1B}[K") }
    drawn = false
  }

  static func text(_ progress: RunProgress, seconds: Double) -> String {
    let summary = progress.summary
    var line = "\(summary.product): \(summary.recordsIn) records in"
    // A rate over less than a tenth of a second says little.
    if seconds >= 0.1 { line += " (\(Int(Double(summary.recordsIn) / seconds))/s)" }
    line += ", \(summary.deadLettered) dead-lettered, \(summary.late) late"
    switch progress.lag {
    case .files(let count): line += ", lag \(count) file\(count == 1 ? "" : "s")"
    case .records(let count): line += ", lag \(count) record\(count == 1 ? "" : "s")"
    }
    return line
  }
}
