import MeshData
import MeshDiagnostics

/// The plan as JSON for tools: `{"products": [...]}`, each product with its steps (kind,
/// inputs, what they do, schema, column lineage), ports and checks. Keys and their order
/// are stable; new keys may be added.
public enum PlanJSONPrinter {
  public static func text(_ plans: [ProductPlan]) -> String {
    var json = JSONWriter()
    json.beginObject()
    json.key("products")
    json.beginArray()
    for plan in plans { product(plan, &json) }
    json.endArray()
    json.endObject()
    return json.text + "\n"
  }

  private static func product(_ plan: ProductPlan, _ json: inout JSONWriter) {
    json.beginObject()
    json.key("id")
    json.string(plan.product)
    json.key("steps")
    json.beginArray()
    for step in plan.steps { self.step(step, &json) }
    json.endArray()
    json.key("ports")
    json.beginArray()
    for output in plan.outputs {
      json.beginObject()
      json.key("name")
      json.string(output.name)
      json.key("kind")
      json.string(output.kind)
      json.key("from")
      json.string(output.step)
      json.key("topic")
      if let topic = output.topic { json.string(topic) } else { json.null() }
      json.key("key")
      strings(output.key.map(\.description), &json)
      json.key("partitionBy")
      if let partitioning = output.partitionBy { json.string(partitioning.description) } else { json.null() }
      json.key("contract")
      json.bool(output.contract != nil)
      json.endObject()
    }
    json.endArray()
    if let physical = plan.physical {
      json.key("physical")
      self.physical(physical, &json)
    }
    json.key("checks")
    json.beginArray()
    for check in plan.checks {
      json.beginObject()
      json.key("name")
      json.string(check.name)
      json.key("step")
      json.string(check.step)
      json.key("condition")
      json.string(check.condition.description)
      json.key("onFail")
      json.string(check.onFail)
      json.endObject()
    }
    json.endArray()
    json.endObject()
  }

  private static func step(_ step: PlanStep, _ json: inout JSONWriter) {
    json.beginObject()
    json.key("name")
    json.string(step.name)
    json.key("kind")
    json.string(StepSummary.kind(step.operation))
    json.key("inputs")
    strings(step.inputs, &json)
    json.key("detail")
    json.string(StepSummary.detail(step))
    json.key("eventTime")
    json.bool(step.hasEventTime)
    json.key("schema")
    json.beginArray()
    for (field, lineage) in zip(step.schema.fields, step.lineage) {
      json.beginObject()
      json.key("name")
      json.string(field.name)
      json.key("type")
      json.string(field.type.description)
      json.key("nullable")
      json.bool(field.nullable)
      json.key("pii")
      json.bool(field.pii)
      json.key("from")
      strings(lineage.sources.map(\.description), &json)
      json.key("functions")
      strings(lineage.functions, &json)
      json.endObject()
    }
    json.endArray()
    json.endObject()
  }

  private static func physical(_ plan: PhysicalPlan, _ json: inout JSONWriter) {
    json.beginObject()
    json.key("operators")
    json.beginArray()
    for op in plan.operators {
      json.beginObject()
      json.key("name")
      json.string(op.name)
      json.key("kind")
      json.string(op.kind.rawValue)
      json.key("inputs")
      strings(op.inputs, &json)
      json.key("partitionBy")
      strings(op.partitionBy, &json)
      json.key("state")
      if let state = op.state { json.string(state) } else { json.null() }
      json.key("checkpointed")
      json.bool(op.checkpointed)
      json.endObject()
    }
    json.endArray()
    json.key("stateStores")
    json.beginArray()
    for store in plan.stateStores {
      json.beginObject()
      json.key("name")
      json.string(store.name)
      json.key("kind")
      json.string(store.kind.rawValue)
      json.key("key")
      strings(store.key, &json)
      json.key("retentionMs")
      if let retention = store.retentionMilliseconds { json.number(retention) } else { json.null() }
      json.endObject()
    }
    json.endArray()
    json.endObject()
  }

  private static func strings(_ values: [String], _ json: inout JSONWriter) {
    json.beginArray()
    for value in values { json.string(value) }
    json.endArray()
  }
}
