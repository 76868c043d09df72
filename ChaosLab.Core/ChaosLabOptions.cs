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

    /// <summary>
    /// This process's name among replicas sharing one store (in HTTP episode credentials, metrics
    /// and work-item leases). Unset: host name and process id, so a restarted process is a new
    /// replica and its predecessor's leases simply expire.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,40}$", ErrorMessage = "ReplicaId is 1 to 40 letters, digits, '-' or '_'.")]
    public string? ReplicaId { get; set; }

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, DatabaseFileName));
}
