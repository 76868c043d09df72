using System.ComponentModel.DataAnnotations;
using ChaosLab.Core;

namespace ChaosLab.Web.Hosting.Authoring;

/// <summary>
/// Who may change the benchmark: <c>ChaosLab:AdminKey</c>. Unset, anyone may author scenarios
/// (a laptop, a private server); set, authoring and publishing need the key (a public Space),
/// while viewing and playing stay open.
/// </summary>
public sealed class AuthoringOptions
{
    public const string SectionName = ChaosLabOptions.SectionName;

    /// <summary>A key long enough that guessing it over HTTP is hopeless.</summary>
    public const int MinimumKeyLength = 16;

    [MinLength(MinimumKeyLength, ErrorMessage = "ChaosLab:AdminKey must be at least 16 characters long (or unset, to let anyone author scenarios).")]
    public string? AdminKey { get; set; }
}
