using System.ComponentModel.DataAnnotations;

namespace ChaosLab.Core;

/// <summary>Settings of the <c>ChaosLab</c> configuration section.</summary>
public sealed class ChaosLabOptions
{
    public const string SectionName = "ChaosLab";

    /// <summary>Where the SQLite database lives; relative paths resolve against the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>File name of the SQLite database inside <see cref="DataDirectory"/>.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^[^/\\]+$", ErrorMessage = "DatabaseFileName must be a file name, not a path.")]
    public string DatabaseFileName { get; set; } = "chaoslab.db";

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, DatabaseFileName));
}
