import Foundation

extension ProductRunner {
  /// Operators' state as the latest checkpoint holds it: each opens its keyed state from
  /// the checkpoint's copy and restores its snapshot. State of attempts that never
  /// committed (newer checkpoint directories) is removed first.
  func restoreState() throws(RunFailure) {
    let kept: Set<Int64> = checkpoint.id > 0 ? [checkpoint.id - 1, checkpoint.id] : []
    StateFiles.removeCheckpoints(except: kept, in: store.directory)
    let saved = StateFiles.checkpoint(checkpoint.id, in: store.directory)
    let stepsSaved = Set(checkpoint.stateSteps)
    for (name, op) in operators {
      let directory = stepsSaved.contains(name) ? saved.appendingPathComponent(name) : nil
      if op.keepsKeyedState {
        let store = directory?.appendingPathComponent("store")
        try op.openState(
          StateContext(
            live: StateFiles.live(name, in: self.store.directory),
            checkpoint: store.flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil },
            memoryBudget: spec.stateMemoryBudget))
      }
      if let inline = checkpoint.state[name] {
        try op.restore(inline)
      } else if let snapshot = directory?.appendingPathComponent("snapshot"),
        FileManager.default.fileExists(atPath: snapshot.path)
      {
        guard let bytes = FileManager.default.contents(atPath: snapshot.path) else {
          throw RunFailure("step \(name): its checkpointed state \(snapshot.path) does not read")
        }
        try op.restore([UInt8](bytes))
      }
    }
  }

  /// Writes every operator's state for checkpoint `id` into its directory, synced, before
  /// the checkpoint that names it commits.
  func writeState(id: Int64) throws(RunFailure) {
    let directory = StateFiles.checkpoint(id, in: store.directory)
    try? FileManager.default.removeItem(at: directory)
    var steps: [String] = []
    for (name, op) in operators.sorted(by: { $0.key < $1.key }) {
      let snapshot = try op.snapshot()
      guard !snapshot.isEmpty || op.keepsKeyedState else { continue }
      let stepDirectory = directory.appendingPathComponent(name)
      try StateFiles.createDirectory(stepDirectory)
      if !snapshot.isEmpty {
        try CheckpointStore.writeSynced(snapshot, to: stepDirectory.appendingPathComponent("snapshot").path)
      }
      if op.keepsKeyedState { try op.checkpointState(into: stepDirectory.appendingPathComponent("store")) }
      CheckpointStore.syncDirectory(stepDirectory.path)
      steps.append(name)
    }
    CheckpointStore.syncDirectory(directory.path)
    CheckpointStore.syncDirectory(directory.deletingLastPathComponent().path)
    checkpoint.state = [:]
    checkpoint.stateSteps = steps
    summary.stateInRocksDB = operators.filter { $0.value.keyedStateInRocksDB }.keys.sorted()
  }
}
