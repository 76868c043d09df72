namespace ChaosLab.Core.Suites.Gauntlet.Pieces;

/// <summary>A piece's embedded files (its Python sources and requirements), by folder and file name.</summary>
public static class PieceResources
{
    /// <param name="folder">The piece's folder under <c>Suites/Gauntlet/Pieces</c>, e.g. <c>Stream</c>.</param>
    public static string Read(string folder, string fileName)
    {
        var name = $"ChaosLab.Core.Suites.Gauntlet.Pieces.{folder}/{fileName}";
        using var stream = typeof(PieceResources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"No embedded gauntlet file {folder}/{fileName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}
