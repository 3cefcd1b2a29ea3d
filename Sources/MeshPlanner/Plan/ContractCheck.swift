import MeshData
import MeshDiagnostics
import MeshManifest
import MeshPlan

/// An output port's contract against what its step produces: every field the schema
/// declares is produced, nothing else is, and each produced type fits the declared one
/// (as Avro's promotions allow: int to long, float or double; long to float or double;
/// float to double; a null-only value into a nullable field). Paths name nested fields.
enum ContractCheck {
  static func check(
    produced step: PlanStep, contract: RecordSchema, port: String, at range: SourceRange, select: [SelectColumn],
    into diagnostics: inout Diagnostics
  ) {
    var context = Context(port: port, step: step.name, contractRange: range, select: select)
    context.compare(produced: step.schema, contract: contract, path: [])
    diagnostics.append(contentsOf: context.diagnostics)
  }

  private struct Context {
    let port: String
    let step: String
    let contractRange: SourceRange
    let select: [SelectColumn]
    var diagnostics = Diagnostics()

    /// Where to point for a top-level field: its select column when there is one.
    func range(of path: [String]) -> SourceRange {
      guard path.count == 1, let column = select.first(where: { $0.name.value == path[0] }) else {
        return contractRange
      }
      return column.name.range
    }

    mutating func compare(produced: RecordSchema, contract: RecordSchema, path: [String]) {
      for field in contract.fields where produced.field(named: field.name) == nil {
        let fieldPath = (path + [field.name]).joined(separator: ".")
        diagnostics.error(
          .contractFieldMissing,
          "port '\(port)' promises field '\(fieldPath)' (\(describe(field))), which '\(step)' does not produce",
          at: path.isEmpty ? contractRange : range(of: [path[0]]),
          help: Suggestion.didYouMean(field.name, among: produced.fields.map(\.name))
            ?? (field.nullable ? "produce it, e.g. \(field.name): null" : "produce it in '\(step)'"))
      }
      for field in produced.fields {
        let fieldPath = path + [field.name]
        guard let declared = contract.field(named: field.name) else {
          diagnostics.error(
            .contractFieldExtra,
            "'\(step)' produces field '\(fieldPath.joined(separator: "."))', which port '\(port)''s schema does not declare",
            at: range(of: fieldPath),
            help: "add it to the schema (with a default, to stay compatible) or leave it out of '\(step)'")
          continue
        }
        compare(field, declared, path: fieldPath)
      }
    }

    private mutating func compare(_ produced: DataField, _ declared: DataField, path: [String]) {
      let at = range(of: path)
      let name = path.joined(separator: ".")
      if case .record(let inner) = produced.type, case .record(let declaredInner) = declared.type {
        compare(produced: inner, contract: declaredInner, path: path)
        return
      }
      if !Self.fits(produced.type, into: declared.type) {
        diagnostics.error(
          .contractFieldType,
          "field '\(name)' is a \(produced.type), but port '\(port)' declares \(describe(declared))",
          at: at, help: "convert it with CAST(… AS type) in '\(step)', or change the schema")
        return
      }
      if produced.nullable, !declared.nullable {
        diagnostics.error(
          .contractFieldType, "field '\(name)' may be null, but port '\(port)' declares it \(describe(declared))",
          at: at,
          help: "make it [\"null\", …] in the schema, or give a value for nulls with coalesce(…)")
      }
    }

    private func describe(_ field: DataField) -> String {
      field.nullable ? "nullable \(field.type)" : "\(field.type)"
    }

    /// Whether values of `produced` can be written as `declared` without loss.
    static func fits(_ produced: DataType, into declared: DataType) -> Bool {
      if produced == declared { return true }
      switch (produced, declared) {
      case (.null, _): return true
      case (.int32, .int64), (.int32, .float32), (.int32, .float64), (.int64, .float32), (.int64, .float64),
        (.float32, .float64):
        return true
      case (.decimal(let p1, let s1), .decimal(let p2, let s2)): return s1 == s2 && p1 <= p2
      case (.int32, .decimal(let p, let s)): return p - s >= 10
      case (.int64, .decimal(let p, let s)): return p - s >= 19
      case (.timestamp(let u1, let utc1), .timestamp(let u2, let utc2)):
        return utc1 == utc2 && u1.perSecond <= u2.perSecond
      case (.date, .timestamp): return true
      case (.enumeration(_, let a), .enumeration(_, let b)): return Set(a).isSubset(of: b)
      case (.enumeration, .string), (.uuid, .string), (.string, .uuid): return true
      case (.array(let a, let an), .array(let b, let bn)): return (!an || bn) && fits(a, into: b)
      case (.map(let a, let an), .map(let b, let bn)): return (!an || bn) && fits(a, into: b)
      default: return false
      }
    }
  }
}
