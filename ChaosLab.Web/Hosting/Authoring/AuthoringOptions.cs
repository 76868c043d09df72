using System.ComponentModel.DataAnnotations;
using ChaosLab.Core;

namespace ChaosLab.Web.Hosting.Authoring;

/// <summary>
/// Who may change the benchmark: <c>ChaosLab:AdminKey</c>. Unset, anyone may author scenarios
/// (a laptop, a private server); set, authoring and publishing need the key (a public Space),
/// while viewing and playing stay open.
/// </summary>
public sealed class AuthoringOptions : IValidatableObject
{
    public const string SectionName = ChaosLabOptions.SectionName;

    /// <summary>A key long enough that guessing it over HTTP is hopeless.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>Empty counts as unset (a Space's secret left blank), never as a key of length 0.</summary>
    public string? AdminKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(AdminKey) && AdminKey.Length < MinimumKeyLength)
        {
            yield return new ValidationResult(
                $"ChaosLab:AdminKey must be at least {MinimumKeyLength} characters long (or unset, to let anyone author scenarios).", [nameof(AdminKey)]);
        }
    }
}
