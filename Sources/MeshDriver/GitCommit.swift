/// One commit of the mesh's history, as `compat --base` names it to people.
public struct GitCommit: Sendable, Hashable {
  public var id: String
  /// `git`'s abbreviated id (`1a2b3c4`), unique in the repository.
  public var shortID: String
  /// The committer date, `YYYY-MM-DD`.
  public var date: String
  /// The first line of the message.
  public var subject: String

  /// "1a2b3c4 (2025-01-31, 'add coupons')", or the short id alone when git said no more.
  public var label: String { date.isEmpty ? shortID : "\(shortID) (\(date), '\(subject)')" }
}
