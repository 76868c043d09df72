namespace ChaosLab.Core.Persistence.Schema;

/// <summary>The database cannot be used by this build; it was left as it was.</summary>
public sealed class SchemaVersionException(string message) : Exception(message);
