/// How far a run has come, handed to `ProductRunner.progress` after each input batch.
public struct RunProgress: Sendable {
  /// What is left to read: input files, or upstream records up to their committed end.
  public enum Lag: Sendable, Equatable {
    case files(Int)
    case records(Int64)
  }

  public var summary: RunSummary
  public var lag: Lag

  public init(summary: RunSummary, lag: Lag) {
    self.summary = summary
    self.lag = lag
  }
}
