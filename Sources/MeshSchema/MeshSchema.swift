/// The Avro type system: schemas, canonical form, fingerprints, values, encoding, compatibility.
public enum MeshSchema {}
