using System.Globalization;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Statistics;
using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Pages;

public sealed partial class Compare : ComponentBase
{
    [Inject]
    public required CompareViewModel Model { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [SupplyParameterFromQuery(Name = "a")]
    public string? A { get; set; }

    [SupplyParameterFromQuery(Name = "b")]
    public string? B { get; set; }

    [SupplyParameterFromQuery(Name = "suite")]
    public string? Suite { get; set; }

    [SupplyParameterFromQuery(Name = "task")]
    public string? Task { get; set; }

    [SupplyParameterFromQuery(Name = "tier")]
    public string? Tier { get; set; }

    private IReadOnlyList<EpisodePair> Differences => [.. Model.Comparison?.Pairs.Where(p => p.Differs) ?? []];

    protected override Task OnParametersSetAsync() => Model.LoadAsync(CompareFilter.FromUrl(A, B, Suite, Task, Tier));

    private Task RetryAsync() => Model.LoadAsync(CompareFilter.FromUrl(A, B, Suite, Task, Tier));

    private void Navigate(CompareFilter filter) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(filter.ToParameters()));

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string EpisodeHref(string id) => "episodes/" + Uri.EscapeDataString(id);

    private static string PairHref(string left, string right) =>
        $"compare/episodes?left={Uri.EscapeDataString(left)}&right={Uri.EscapeDataString(right)}";

    private static string Signed(double delta) => delta.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture);

    private static MudBlazor.Color DeltaColor(double delta) =>
        delta > PairedComparison.TieTolerance ? MudBlazor.Color.Success : delta < -PairedComparison.TieTolerance ? MudBlazor.Color.Error : MudBlazor.Color.Default;

    private static string IntervalText(MeanInterval? interval) => interval is { Lower: { } lower, Upper: { } upper }
        ? string.Create(CultureInfo.InvariantCulture, $"95% interval {Signed(lower)} to {Signed(upper)}")
        : "no interval with a single seed";
}
