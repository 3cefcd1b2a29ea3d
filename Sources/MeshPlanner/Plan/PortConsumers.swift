public import MeshManifest
import MeshPlan

/// Who reads a port, and which of its fields: what `compat` adds to a breaking change so
/// that its author sees whom it breaks.
public struct PortConsumer: Sendable {
  public var product: String
  public var owner: Owner?
  /// The port's fields the product's plan reads (in an expression, a key, or passed to
  /// an output); nil when the product was not planned in this run.
  public var fieldsRead: Set<String>?
}

extension ResolvedMesh {
  /// Every product of the mesh with an input on `product`'s port `port`.
  public func consumers(ofProduct product: String, port: String) -> [PortConsumer] {
    productsByID.values.sorted { $0.product.id < $1.product.id }.compactMap { loaded in
      let inputs = loaded.product.inputs.filter { input in
        guard case .port(let reference) = input.source else { return false }
        return reference.product.value == product && reference.port.value == port
      }
      guard !inputs.isEmpty else { return nil }
      let plan = plans.first { $0.product == loaded.product.id }
      let read = plan.map { plan in
        // A plan that lost steps to mistakes (the change itself may cause them) cannot be
        // traced: then every name the product's expressions and keys mention counts.
        plan.steps.count == loaded.product.inputs.count + loaded.product.transforms.count
          ? inputs.reduce(into: Set<String>()) { fields, input in
            fields.formUnion(FieldUse.read(of: input.name.value, in: plan))
          }
          : FieldUse.mentioned(in: loaded.product)
      }
      return PortConsumer(product: loaded.product.id, owner: loaded.product.metadata.owner, fieldsRead: read)
    }
  }
}

/// Which columns of a step a plan uses: those its ports publish and its checks test,
/// followed back through each column's lineage and through what filters, keys, joins
/// and aggregates read.
enum FieldUse {
  static func read(of stepName: String, in plan: ProductPlan) -> Set<String> {
    var used: [String: Set<String>] = [:]
    for output in plan.outputs {
      if let step = plan.step(named: output.step) {
        used[step.name, default: []].formUnion(step.schema.fields.map(\.name))
      }
    }
    for check in plan.checks {
      used[check.step, default: []].formUnion(check.condition.fields.compactMap(\.names.first))
    }
    for step in plan.steps.reversed() {
      let columns = used[step.name] ?? []
      guard !columns.isEmpty else { continue }
      for (field, lineage) in zip(step.schema.fields, step.lineage) where columns.contains(field.name) {
        for source in lineage.sources where plan.step(named: source.step) != nil {
          used[source.step, default: []].insert(String(source.column.split(separator: ".").first ?? ""))
        }
      }
      let input = step.inputs.first ?? ""
      switch step.operation {
      case .filter(let condition): used[input, default: []].formUnion(condition.fields.compactMap(\.names.first))
      case .dedupe(let key, _): used[input, default: []].formUnion(key.compactMap(\.names.first))
      case .aggregate(let aggregate):
        used[input, default: []].formUnion(aggregate.groupBy.compactMap(\.names.first))
      case .join(let join):
        if step.inputs.count == 2 {
          used[step.inputs[0], default: []].formUnion(join.keys.compactMap(\.left.names.first))
          used[step.inputs[1], default: []].formUnion(join.keys.compactMap(\.right.names.first))
        }
      case .files, .port, .select, .union: break
      }
    }
    return used[stepName] ?? []
  }

  /// Every field name a product's expressions, keys and groupings mention.
  static func mentioned(in product: DataProduct) -> Set<String> {
    var names: Set<String> = []
    var texts = product.quality.map(\.check)
    for transform in product.transforms {
      switch transform.operation {
      case .filter(let text): texts.append(text)
      case .select(let columns): texts += columns.map(\.expression)
      case .aggregate(let aggregate):
        names.formUnion(aggregate.groupBy.map(\.value))
        texts += aggregate.measures.map(\.expression)
      case .dedupe(let dedupe): names.formUnion(dedupe.key.map(\.value))
      case .join(let join): names.formUnion(join.on.map(\.value))
      case .union: break
      }
    }
    for output in product.outputs { names.formUnion(output.key.map(\.value)) }
    for text in texts {
      if let syntax = try? ExpressionParser.parse(text.text) { collect(syntax, into: &names) }
    }
    return names
  }

  private static func collect(_ syntax: ExpressionSyntax, into names: inout Set<String>) {
    let children: [ExpressionSyntax]
    switch syntax {
    case .field(let path, _):
      if let first = path.first { names.insert(first) }
      children = []
    case .integer, .decimal, .string, .boolean, .null, .typedLiteral: children = []
    case .unary(_, let operand, _), .isNull(let operand, _, _), .cast(let operand, _, _): children = [operand]
    case .binary(_, let left, let right, _, _), .like(let left, let right, _, _): children = [left, right]
    case .inList(let operand, let items, _, _): children = [operand] + items
    case .between(let a, let b, let c, _, _): children = [a, b, c]
    case .caseWhen(let branches, let otherwise, _):
      children = branches.flatMap { [$0.0, $0.1] } + (otherwise.map { [$0] } ?? [])
    case .call(_, let arguments, _, _, _): children = arguments
    }
    for child in children { collect(child, into: &names) }
  }
}
