/// Byte buffers, readers and writers, varints and CRC-32C shared by the log and the codecs.
public enum MeshBytes {}
