/// Aligned columns for the text output of the log commands; numbers are right-aligned.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []
  /// Columns to right-align.
  var numeric: Set<Int> = []

  func render() -> String {
    let all = [header] + rows
    var widths = [Int](repeating: 0, count: header.count)
    for row in all {
      for (column, cell) in row.enumerated() where column < widths.count {
        widths[column] = max(widths[column], cell.count)
      }
    }
    return all.map { row in
      row.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        if column == row.count - 1 && !numeric.contains(column) { return cell }
        return numeric.contains(column) ? pad + cell : cell + pad
      }.joined(separator: "  ")
    }.joined(separator: "\n")
  }
}
