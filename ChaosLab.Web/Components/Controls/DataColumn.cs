using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Controls;

/// <summary>One column of a <see cref="DataTable{TItem}"/>.</summary>
/// <param name="SortKey">The key the server sorts by; null for a column that cannot be sorted.</param>
public sealed record DataColumn<TItem>(string Title, RenderFragment<TItem> Cell, string? SortKey = null, string? CssClass = null);
