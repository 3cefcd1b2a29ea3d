import Foundation
import MeshRuntime

/// A restart as the runner does it: the operator's state checkpointed into a fresh
/// directory, then a new operator opened from it and given the snapshot.
enum OperatorRestart {
  /// `memoryBudget`: the restored operator's — small enough and its keyed state moves to RocksDB.
  static func restart<Restored>(
    _ op: any Operator, into restored: Restored, memoryBudget: Int = 256 << 20
  ) throws -> Restored where Restored: Operator {
    let snapshot = try op.snapshot()
    if op.keepsKeyedState {
      let temporary = FileManager.default.temporaryDirectory
      let store = temporary.appendingPathComponent("meshc-checkpoint-\(UUID())")
      defer { try? FileManager.default.removeItem(at: store) }
      try op.checkpointState(into: store)
      // The store removes its live directory when it closes.
      let live = temporary.appendingPathComponent("meshc-live-\(UUID())")
      try restored.openState(StateContext(live: live, checkpoint: store, memoryBudget: memoryBudget))
    }
    try restored.restore(snapshot)
    return restored
  }
}
