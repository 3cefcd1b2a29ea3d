import Foundation
import MeshDiagnostics
import MeshSchema

/// What `meshc bench compat` measured.
public struct BenchCompatResult: Sendable {
  public var pairs: Int
  public var fieldsPerSchema: Int
  public var parseSeconds: [Double]
  public var checkSeconds: [Double]
  /// Incompatibilities found; the generated pairs are compatible, so anything but 0 is a bug.
  public var findings: Int

  public var text: String {
    let parse = median(parseSeconds)
    let check = median(checkSeconds)
    return """
      meshc bench compat: \(pairs) schema pairs of \(fieldsPerSchema) fields (nested records, unions, enums, arrays, maps), \
      FULL mode, median of \(checkSeconds.count) runs after a warm-up
        baseline (parse both schemas of each pair) \(String(format: "%8.1f ms", parse * 1000))  \(String(format: "%8.0f", Double(pairs) / parse)) pairs/s
        compatibility check (both directions)    \(String(format: "%8.1f ms", check * 1000))  \(String(format: "%8.0f", Double(pairs) / check)) pairs/s  \(String(format: "%.2f", check / parse))× the baseline
        findings: \(findings) (expected 0)
      """
  }
}

extension Benchmarks {
  /// Checks generated old/new schema pairs under FULL (both directions) and, as the
  /// baseline, parses the same pairs.
  public static func benchCompat(pairs: Int, fields: Int, repeats: Int) -> BenchCompatResult {
    let texts = (0..<pairs).map { index in
      (generatedSchema(index, fields: fields, extra: false), generatedSchema(index, fields: fields, extra: true))
    }
    var parseTimes: [Double] = []
    var checkTimes: [Double] = []
    var parsed: [(Schema, Schema)] = []
    var findings = 0
    for run in 0...repeats {
      let start = DispatchTime.now().uptimeNanoseconds
      parsed = texts.compactMap { old, new in
        guard let oldSchema = Schema.parse(SourceFile(path: "old.avsc", text: old)).schema,
          let newSchema = Schema.parse(SourceFile(path: "new.avsc", text: new)).schema
        else { return nil }
        return (oldSchema, newSchema)
      }
      let parsedAt = DispatchTime.now().uptimeNanoseconds
      var breaking = 0
      for (old, new) in parsed { breaking += CompatibilityChecker.check(new: new, earlier: [old], mode: .full).count }
      let checkedAt = DispatchTime.now().uptimeNanoseconds
      findings = breaking
      if run > 0 {
        parseTimes.append(Double(parsedAt - start) / 1e9)
        checkTimes.append(Double(checkedAt - parsedAt) / 1e9)
      }
    }
    return BenchCompatResult(
      pairs: parsed.count, fieldsPerSchema: fields, parseSeconds: parseTimes, checkSeconds: checkTimes,
      findings: findings)
  }

  /// A record of `fields` fields of assorted types with a nested record and an enum;
  /// `extra` adds an optional field, the compatible change most pull requests make.
  static func generatedSchema(_ index: Int, fields: Int, extra: Bool) -> String {
    var parts: [String] = []
    let types = [
      #""string""#, #""long""#, #"["null", "double"]"#, #"{"type": "array", "items": "string"}"#,
      #"{"type": "map", "values": "long"}"#, #"{"type": "long", "logicalType": "timestamp-millis"}"#,
    ]
    for field in 0..<fields {
      let type: String
      switch field {
      case 0:
        type =
          #"{"type": "record", "name": "Line\#(index)", "fields": [{"name": "sku", "type": "string"}, {"name": "quantity", "type": "int"}]}"#
      case 1:
        type =
          #"{"type": "enum", "name": "Status\#(index)", "symbols": ["PLACED", "PAID", "SHIPPED"], "default": "PLACED"}"#
      default: type = types[field % types.count]
      }
      let defaultValue = type.hasPrefix(#"["null""#) ? #", "default": null"# : ""
      parts.append(#"{"name": "field\#(field)", "type": \#(type)\#(defaultValue), "doc": "Field \#(field)."}"#)
    }
    if extra { parts.append(#"{"name": "added", "type": ["null", "string"], "default": null}"#) }
    return
      #"{"type": "record", "name": "Event\#(index)", "namespace": "bench", "fields": [\#(parts.joined(separator: ", "))]}"#
  }
}
