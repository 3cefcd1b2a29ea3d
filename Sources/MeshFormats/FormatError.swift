/// Why a file could not be read or written: what is wrong and where in the file
/// (a byte offset, a block, a column) — the caller adds the file's name.
public struct FormatError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
