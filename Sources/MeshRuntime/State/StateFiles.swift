public import Foundation

/// The files of a product's state directory that hold operators' state: per checkpoint,
/// `state/<id>/<step>/` with the step's `snapshot` (its operator's own bytes) and `store/`
/// (its keyed state); and `live/<step>/`, where the running attempt's RocksDB works.
/// A checkpoint's directory is written and synced before the checkpoint commits, and kept
/// as long as the checkpoint is.
public enum StateFiles {
  static func checkpoint(_ id: Int64, in directory: URL) -> URL {
    directory.appendingPathComponent("state").appendingPathComponent(String(id))
  }

  static func live(_ step: String, in directory: URL) -> URL {
    directory.appendingPathComponent("live").appendingPathComponent(step)
  }

  static func createDirectory(_ url: URL) throws(RunFailure) {
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw RunFailure("cannot create \(url.path): \(error.localizedDescription)")
    }
  }

  /// Removes the state of checkpoints other than `kept` (those older, and those of a
  /// crashed attempt that never committed).
  static func removeCheckpoints(except kept: Set<Int64>, in directory: URL) {
    let root = directory.appendingPathComponent("state")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    for name in names where Int64(name).map({ !kept.contains($0) }) ?? false {
      try? FileManager.default.removeItem(at: root.appendingPathComponent(name))
    }
  }
}
