public import MeshData

/// Watermarks across inputs: a product's file inputs are read one after another, so the
/// operators after a union would otherwise see the first input's latest event time and
/// count the second's older records late. Instead, as in Flink, a watermark is the minimum
/// over the inputs: an input with files still to read in this pass holds every operator's
/// watermark at the latest event time it has read (kept in the checkpoint, so a restart
/// holds where an uninterrupted run would); an input with nothing left to read holds
/// nothing. Port inputs are merged in event-time order among themselves and hold nothing.
extension ProductRunner {
  /// Records the batch's latest event time for its input, then tells the operators how far
  /// every input has got.
  func noteEventTimes(_ batch: RecordBatch, input: ProductRunSpec.FileInput) {
    if let field = input.eventTime, let column = batch.schema.index(of: field),
      case .timestamp(let unit, _) = batch.schema.fields[column].type,
      case .int64(let values) = batch.columns[column].values
    {
      let perMillisecond = max(1, unit.perSecond / 1000)
      var latest = checkpoint.eventTimes[input.name] ?? .min
      for row in batch.rows where !batch.columns[column].isNull(row) {
        latest = max(latest, values[row].floorDivided(by: perMillisecond))
      }
      if latest != .min { checkpoint.eventTimes[input.name] = latest }
    }
    holdWatermarks()
  }

  /// The minimum over the inputs with files still to read of how far each has got.
  func holdWatermarks() {
    var hold = Int64.max
    for (input, count) in filesToRead where count > 0 {
      hold = min(hold, checkpoint.eventTimes[input] ?? .min)
    }
    for op in operators.values { op.holdWatermarks(at: hold) }
  }

  /// Every file input read: nothing holds the watermarks any more, and the windows they
  /// held are emitted and committed.
  func releaseHeldWatermarks() throws(RunFailure) {
    for input in filesToRead.keys { filesToRead[input] = 0 }
    holdWatermarks()
    let before = (summary.recordsOut, summary.deadLettered)
    try writeDeadLetters(try endOfBatch())
    if (summary.recordsOut, summary.deadLettered) != before { try commit() }
  }
}
