import MeshData
import MeshPlan

/// length, lower, upper, trim, substr, left, right, concat, replace, starts_with,
/// ends_with, contains. Positions and lengths count characters, not bytes; case mapping
/// is Unicode's, with a fast path for ASCII.
enum StringFunctions {
  static func kernel(_ function: ScalarFunction, argumentTypes: [DataType]) -> CallNode.Kernel? {
    switch function {
    case .length:
      let bytes =
        argumentTypes.first == .bytes || argumentTypes.first.map { if case .fixed = $0 { true } else { false } } == true
      return { args, count, _ in
        RowWise.values(args[0], count: count, type: .int64, zero: Int64(0)) { text in
          Int64(bytes ? text.count : UTF8Text.characterCount(text))
        }
      }
    case .lower, .upper:
      let upper = function == .upper
      return { args, count, _ in RowWise.strings(args[0], count: count) { text, out in mapCase(text, upper, &out) } }
    case .trim, .ltrim, .rtrim:
      return { args, count, _ in
        RowWise.strings(args[0], count: count) { text, out in
          var start = text.startIndex
          var end = text.endIndex
          if function != .rtrim { while start < end, isSpace(text[start]) { start += 1 } }
          if function != .ltrim { while end > start, isSpace(text[end - 1]) { end -= 1 } }
          out += text[start..<end]
        }
      }
    case .substr:
      return { args, count, _ in
        perRow(args, count: count) { row, texts, out in
          guard let start = RowWise.integer(args[1], row) else { return false }
          let length = args.count > 2 ? RowWise.integer(args[2], row) : Int64(Int32.max)
          guard let length, length >= 0 else { return false }
          // SQL counts from 1; positions before the first still use up the length.
          let from = Int(clamping: start) - 1
          let (to, overflow) = from.addingReportingOverflow(Int(clamping: length))
          out += UTF8Text.characters(texts[0], from, overflow ? Int.max : to)
          return true
        }
      }
    case .left, .right:
      return { args, count, _ in
        perRow(args, count: count) { row, texts, out in
          guard let n = RowWise.integer(args[1], row) else { return false }
          let total = UTF8Text.characterCount(texts[0])
          let n2 = Int(clamping: n)
          // A negative count keeps all but that many, as in DuckDB and PostgreSQL.
          let keep = n2 >= 0 ? min(n2, total) : max(0, total + max(n2, -total))
          out +=
            function == .left
            ? UTF8Text.characters(texts[0], 0, keep) : UTF8Text.characters(texts[0], total - keep, total)
          return true
        }
      }
    case .concat:
      return { args, count, _ in
        let operands = args.map(BinaryOperand.init)
        return .column(
          Kernels.binaryColumn(count: count, type: .string) { row, out in
            for (vector, operand) in zip(args, operands) {
              guard let operand, Bitmap.isPresent(vector.validity, row) else { continue }
              out += Kernels.bytes(operand, row)
            }
            return true
          })
      }
    case .replace:
      return { args, count, _ in
        perRow(args, count: count) { _, texts, out in
          replace(texts[0], texts[1], texts[2], &out)
          return true
        }
      }
    case .startsWith, .endsWith, .contains:
      return { args, count, _ in
        guard let a = BinaryOperand(args[0]), let b = BinaryOperand(args[1]) else { return .constant(.null) }
        var values = [Bool](repeating: false, count: count)
        for row in 0..<count {
          let text = Kernels.bytes(a, row)
          let part = Kernels.bytes(b, row)
          values[row] =
            switch function {
            case .startsWith: text.starts(with: part)
            case .endsWith: text.reversed().starts(with: part.reversed())
            default: firstRange(of: part, in: text) != nil
            }
        }
        return .column(Column(type: .boolean, values: .boolean(values), validity: RowWise.validity(args)))
      }
    default:
      return nil
    }
  }

  /// A string result from string (and integer) arguments, NULL when any is NULL or `f`
  /// says so.
  private static func perRow(
    _ args: [Vector], count: Int, _ f: (Int, [ArraySlice<UInt8>], inout [UInt8]) -> Bool
  ) -> Vector {
    if args.contains(where: \.isNullConstant) { return .constant(.null) }
    let operands = args.map(BinaryOperand.init)
    let validity = RowWise.validity(args)
    return .column(
      Kernels.binaryColumn(count: count, type: .string) { row, out in
        guard Bitmap.isPresent(validity, row) else { return false }
        let texts = operands.map { $0.map { Kernels.bytes($0, row) } ?? [] }
        return f(row, texts, &out)
      })
  }

  @inline(__always)
  static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

  static func mapCase(_ text: ArraySlice<UInt8>, _ upper: Bool, _ out: inout [UInt8]) {
    if text.allSatisfy({ $0 < 0x80 }) {
      for byte in text {
        if upper, byte >= 0x61, byte <= 0x7A {
          out.append(byte - 32)
        } else if !upper, byte >= 0x41, byte <= 0x5A {
          out.append(byte + 32)
        } else {
          out.append(byte)
        }
      }
    } else {
      let string = String(decoding: text, as: UTF8.self)
      out += (upper ? string.uppercased() : string.lowercased()).utf8
    }
  }

  static func firstRange(of part: ArraySlice<UInt8>, in text: ArraySlice<UInt8>) -> Range<Int>? {
    guard !part.isEmpty else { return text.startIndex..<text.startIndex }
    guard part.count <= text.count else { return nil }
    var start = text.startIndex
    while start <= text.endIndex - part.count {
      if text[start..<(start + part.count)].elementsEqual(part) { return start..<(start + part.count) }
      start += 1
    }
    return nil
  }

  static func replace(
    _ text: ArraySlice<UInt8>, _ part: ArraySlice<UInt8>, _ replacement: ArraySlice<UInt8>, _ out: inout [UInt8]
  ) {
    guard !part.isEmpty else {
      out += text
      return
    }
    var rest = text
    while let found = firstRange(of: part, in: rest) {
      out += rest[rest.startIndex..<found.lowerBound]
      out += replacement
      rest = rest[found.upperBound...]
    }
    out += rest
  }
}
