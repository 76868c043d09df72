using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ChaosLab.Core.Persistence;

/// <summary>
/// The few query shapes EF translates to SQL that behaves differently on SQLite and PostgreSQL,
/// written so that both engines give the store the same behaviour (SQLite's, which came first).
/// </summary>
internal static class ProviderQueries
{
    /// <summary>
    /// Rows whose <paramref name="first"/> or <paramref name="second"/> text matches the LIKE
    /// <paramref name="pattern"/> without regard to ASCII case. SQLite's LIKE ignores ASCII case;
    /// PostgreSQL's does not, its ILIKE does (over byte-order columns, only ASCII case, as SQLite).
    /// </summary>
    public static IQueryable<T> WhereEitherLike<T>(
        this IQueryable<T> rows, DatabaseFacade database, Expression<Func<T, string?>> first, Expression<Func<T, string?>> second, string pattern, string escape)
    {
        Expression<Func<string?, bool>> match = database.IsNpgsql()
            ? text => EF.Functions.ILike(text!, pattern, escape)
            : text => EF.Functions.Like(text, pattern, escape);
        var row = first.Parameters[0];
        var either = Expression.OrElse(
            Replace(match, first.Body),
            Replace(match, new ParameterReplacer(second.Parameters[0], row).Visit(second.Body)));
        return rows.Where(Expression.Lambda<Func<T, bool>>(either, row));
    }

    /// <summary>
    /// Ordered by a nullable <paramref name="key"/> with NULLs first ascending and last descending,
    /// SQLite's order (NULL is its smallest value); PostgreSQL's default is the reverse.
    /// </summary>
    public static IOrderedQueryable<T> OrderByNullable<T, TKey>(this IQueryable<T> rows, DatabaseFacade database, Expression<Func<T, TKey?>> key, bool descending)
        where TKey : struct
    {
        if (!database.IsNpgsql())
        {
            return descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
        }

        // false sorts before true: "has a value" first when descending, last when ascending.
        var hasValue = Expression.Lambda<Func<T, bool>>(Expression.NotEqual(key.Body, Expression.Constant(null, typeof(TKey?))), key.Parameters);
        return descending
            ? rows.OrderByDescending(hasValue).ThenByDescending(key)
            : rows.OrderBy(hasValue).ThenBy(key);
    }

    private static Expression Replace(Expression<Func<string?, bool>> match, Expression text) =>
        new ParameterReplacer(match.Parameters[0], text).Visit(match.Body);

    private sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
