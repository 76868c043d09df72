using ChaosLab.Core.Evaluation;
using ChaosLab.Web.Model.Runs;
using ChaosLab.Web.Model.Statistics;
using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Pages;

/// <summary>Two runs side by side, item by item (<c>?a=&amp;b=</c>); the numbers come from <see cref="RunCompareViewModel"/>.</summary>
public sealed partial class RunCompare : ComponentBase
{
    [Inject]
    public required RunCompareViewModel Model { get; init; }

    [SupplyParameterFromQuery(Name = "a")]
    public string? A { get; set; }

    [SupplyParameterFromQuery(Name = "b")]
    public string? B { get; set; }

    protected override Task OnParametersSetAsync() => Model.LoadAsync(A, B);

    private static string DeltaCss(double delta) =>
        delta > PairedComparison.TieTolerance ? "mud-success-text"
        : delta < -PairedComparison.TieTolerance ? "mud-error-text" : "mud-text-secondary";
}
