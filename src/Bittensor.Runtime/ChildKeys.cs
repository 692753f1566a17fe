using System.Collections.Immutable;

namespace Bittensor.Runtime;

/// <summary>One child of a parent hotkey in a subnet: the part of the parent's stake weight it gets, in parts of u64::MAX.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.ChildLink")]
public sealed record ChildLink([property: Id(0)] ulong Proportion, [property: Id(1)] string Hotkey);

/// <summary>Children a parent scheduled with <c>set_children</c>, applied once the chain passes <see cref="CooldownBlock"/>.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.PendingChildren")]
public sealed record PendingChildren([property: Id(0)] ImmutableArray<ChildLink> Children, [property: Id(1)] ulong CooldownBlock);

/// <summary>A parent's part in a child's stake weight, as an epoch's inputs took it: its alpha and its proportion.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.ParentStake")]
public sealed record ParentStake([property: Id(0)] string Parent, [property: Id(1)] ulong Proportion, [property: Id(2)] ulong Alpha)
{
    /// <summary>The parent's TAO staked on root (its contribution counts it with tao_weight).</summary>
    [Id(3)] public ulong Root { get; init; }
}

/// <summary>
/// What an epoch needs to split a child hotkey's dividends with its parents (subtensor's
/// <c>get_parent_child_dividends_distribution</c>): the child's own alpha, the proportions it lends on to its own
/// children, its childkey take and its parents' stakes, all as the epoch's inputs were taken.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.ChildkeySplit")]
public sealed record ChildkeySplit
{
    [Id(0)] public required string Hotkey { get; init; }
    [Id(1)] public required ulong Alpha { get; init; }
    [Id(2)] public required ImmutableArray<ulong> ChildProportions { get; init; }
    [Id(3)] public required ushort Take { get; init; }
    [Id(4)] public required ImmutableArray<ParentStake> Parents { get; init; }
    /// <summary>The child's TAO staked on root.</summary>
    [Id(5)] public ulong Root { get; init; }
    /// <summary>The tao_weight (parts of u64::MAX) root stake counts with in the contributions; 0 without root stake.</summary>
    [Id(6)] public ulong TaoWeight { get; init; }
}

/// <summary>
/// Childkeys (subtensor's <c>set_children.rs</c>, <c>get_inherited_for_hotkey_on_subnet</c> and
/// <c>get_parent_child_dividends_distribution</c>): relations, their pending cooldown, and the arithmetic in subtensor's
/// U96F32 (unsigned, 32 fractional bits: products floor, quotients truncate).
/// </summary>
public static class ChildKeys
{
    /// <summary>Most children a parent may have on one subnet.</summary>
    public const int MaxChildren = 5;

    private const int Frac = 32;

    /// <summary>proportion / u64::MAX as U96F32 bits (at most 2³²).</summary>
    public static UInt128 Normalized(ulong proportion) => ((UInt128)proportion << Frac) / ulong.MaxValue;

    /// <summary>
    /// The relations in force at <paramref name="block"/>: the applied ones plus every pending set whose cooldown ended
    /// before it (subtensor applies a pending set in the first block after its cooldown block), in order of cooldown then
    /// parent; a set that would break the relations' consistency then is dropped, as subtensor's
    /// <c>persist_pending_chidren_ok</c> does.
    /// </summary>
    public static ImmutableDictionary<string, ImmutableArray<ChildLink>> Effective(SubnetState s, ulong block)
    {
        var children = s.Children;
        foreach (var (parent, pending) in s.PendingChildren.Where(p => p.Value.CooldownBlock < block)
                     .OrderBy(p => p.Value.CooldownBlock).ThenBy(p => p.Key, StringComparer.Ordinal))
            children = Persist(children, parent, pending.Children);
        return children;
    }

    /// <summary>Applies the pending sets due at <paramref name="block"/> to the subnet (the ledger does, before any new change).</summary>
    public static void ApplyDue(SubnetState s, ulong block)
    {
        if (!s.PendingChildren.Any(p => p.Value.CooldownBlock < block)) return;
        s.Children = Effective(s, block);
        s.PendingChildren = s.PendingChildren.RemoveRange(s.PendingChildren.Where(p => p.Value.CooldownBlock < block).Select(p => p.Key).ToList());
    }

    /// <summary>The relations with <paramref name="parent"/>'s children replaced, or unchanged when that would break consistency.</summary>
    public static ImmutableDictionary<string, ImmutableArray<ChildLink>> Persist(ImmutableDictionary<string, ImmutableArray<ChildLink>> relations, string parent, ImmutableArray<ChildLink> children)
    {
        if (Problem(relations, parent, children, checkCount: false) is not null) return relations;
        var deduped = Deduplicate(parent, children);
        return deduped.IsEmpty ? relations.Remove(parent) : relations.SetItem(parent, deduped);
    }

    /// <summary>Children by hotkey (the last proportion wins, as subtensor's map), self-loops dropped, in hotkey order.</summary>
    private static ImmutableArray<ChildLink> Deduplicate(string parent, ImmutableArray<ChildLink> children)
    {
        var map = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var c in children)
            if (c.Hotkey != parent) map[c.Hotkey] = c.Proportion;
        return [.. map.Select(kv => new ChildLink(kv.Value, kv.Key))];
    }

    /// <summary>
    /// The first consistency rule a new set of children for <paramref name="parent"/> breaks (subtensor's
    /// <c>ensure_pending_consistency</c>), as (code, message), or null.
    /// </summary>
    public static (string Code, string Message)? Problem(ImmutableDictionary<string, ImmutableArray<ChildLink>> relations, string parent, ImmutableArray<ChildLink> children, bool checkCount = true)
    {
        if (children.Any(c => c.Hotkey == parent)) return (Codes.InvalidChild, "a hotkey cannot be its own child");
        var distinct = children.Select(c => c.Hotkey).Distinct(StringComparer.Ordinal).Count();
        if (checkCount && distinct > MaxChildren) return (Codes.TooManyChildren, $"{distinct} children; at most {MaxChildren}");
        UInt128 total = 0;
        foreach (var c in Deduplicate(parent, children)) total += c.Proportion;
        if (total > ulong.MaxValue) return (Codes.ProportionOverflow, $"the proportions sum to {total}; at most u64::MAX ({ulong.MaxValue})");
        var parents = ParentsOf(relations, parent);
        if (children.FirstOrDefault(c => parents.Any(p => p.Hotkey == c.Hotkey)) is { } loop)
            return (Codes.ChildParentInconsistency, $"{loop.Hotkey} is a parent of {parent}; it cannot also be its child");
        return null;
    }

    /// <summary>The parents of <paramref name="child"/>: (proportion, parent), in parent order.</summary>
    public static ImmutableArray<ChildLink> ParentsOf(ImmutableDictionary<string, ImmutableArray<ChildLink>> relations, string child) =>
        [.. relations.Where(r => r.Key != child).SelectMany(r => r.Value.Where(c => c.Hotkey == child).Select(c => new ChildLink(c.Proportion, r.Key)))
            .OrderBy(p => p.Hotkey, StringComparer.Ordinal)];

    /// <summary>
    /// Stake weight after lending and inheriting (subtensor's <c>get_inherited_for_hotkey_on_subnet</c>):
    /// <c>alpha − Σ alpha·p_child + Σ alpha_parent·p_parent</c> in U96F32, floored (the subtraction saturates at 0).
    /// </summary>
    public static ulong Inherited(ulong alpha, IEnumerable<ulong> childProportions, IEnumerable<(ulong Proportion, ulong ParentAlpha)> parents)
    {
        UInt128 initial = (UInt128)alpha << Frac, toChildren = 0, fromParents = 0;
        foreach (ulong p in childProportions) toChildren += alpha * Normalized(p);
        foreach (var (p, parentAlpha) in parents) fromParents += parentAlpha * Normalized(p);
        UInt128 bits = (initial > toChildren ? initial - toChildren : 0) + fromParents;
        return (ulong)UInt128.Min(bits >> Frac, ulong.MaxValue);
    }

    /// <summary>
    /// A child's dividend split with its parents (subtensor's <c>get_parent_child_dividends_distribution</c>, CKBurn 0 as its
    /// default; contributions count alpha plus tao_weight·root stake): each parent gets the dividend in proportion to the stake weight it lends, less the
    /// childkey take when the parent belongs to another coldkey; the child keeps the rest and the takes. Amounts floor; the
    /// rounding dust (at most one rao per parent) goes to the child, so the parts sum to the dividend.
    /// </summary>
    public static List<(string Hotkey, ulong Alpha)> Distribution(ChildkeySplit split, ulong dividend, Func<string, bool> sameOwner)
    {
        UInt128 emission = (UInt128)dividend << Frac;
        UInt128 takeProportion = ((UInt128)split.Take << Frac) / ushort.MaxValue;
        UInt128 one = (UInt128)1 << Frac, lent = 0;
        foreach (ulong p in split.ChildProportions) lent += Normalized(p);
        UInt128 remainingProportion = one > lent ? one - lent : 0;
        UInt128 weight = RootNetwork.WeightBits(split.TaoWeight);
        // get_self_contribution returns u64: alpha·remaining + root·remaining·tao_weight, floored.
        ulong self = (ulong)((split.Alpha * remainingProportion + (split.Root * remainingProportion * weight >> Frac)) >> Frac);
        UInt128 total = (UInt128)self << Frac;
        var contributions = new List<(string Parent, UInt128 Bits)>(split.Parents.Length);
        foreach (var parent in split.Parents)
        {
            UInt128 bits = parent.Alpha * Normalized(parent.Proportion) + (parent.Root * Normalized(parent.Proportion) * weight >> Frac);
            total += bits;
            contributions.Add((parent.Parent, bits));
        }
        var result = new List<(string, ulong)>(contributions.Count + 1);
        ulong paid = 0;
        foreach (var (parent, contribution) in contributions)
        {
            UInt128 factor = total == 0 ? 0 : (contribution << Frac) / total;
            UInt128 parentEmission = emission * factor >> Frac;
            if (!sameOwner(parent))
            {
                UInt128 take = takeProportion * parentEmission >> Frac;
                parentEmission -= take; // the child keeps it
            }
            ulong amount = (ulong)(parentEmission >> Frac);
            result.Add((parent, amount));
            paid += amount;
        }
        // subtensor's child part is floor(remaining + takes), the rest of the dividend up to a rao per parent; here exactly the rest.
        result.Add((split.Hotkey, dividend - paid));
        return result;
    }
}
