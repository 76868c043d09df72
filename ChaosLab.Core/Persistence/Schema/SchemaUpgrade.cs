namespace ChaosLab.Core.Persistence.Schema;

/// <summary>
/// One step of the store's schema history: the statements that turn version
/// <c>Version - 1</c> into <paramref name="Version"/>. Steps are never edited once released;
/// a change to the schema is a new step.
/// </summary>
public sealed record SchemaUpgrade(int Version, string Description, IReadOnlyList<string> Statements);
