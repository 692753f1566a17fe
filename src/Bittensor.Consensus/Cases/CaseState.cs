using System.Text.Json;

namespace Bittensor.Consensus.Cases;

/// <summary>
/// The mutable subnet state a case walks through: what <c>set</c> changes and what each epoch carries forward
/// (stored bonds and the new validator permits).
/// </summary>
internal sealed class CaseState
{
    private readonly string _case;

    public CaseState(string caseName) => _case = caseName;

    public EpochParameters Params = new();
    public int N;
    public ulong[] Stake = [];
    /// <summary>Each stake's fraction in 2⁻³² rao (<c>stake_frac</c>), or null when every stake is whole.</summary>
    public uint[]? StakeFraction;
    public List<(int Col, int Val)>[] Weights = [];
    public List<(int Col, int Val)>[] Bonds = [];
    public bool[] Permit = [];
    public ulong[] LastUpdate = [];
    public ulong[] BlockAtRegistration = [];
    public ulong LastMechanismStepBlock;
    public ulong[]? CommitBlocks;

    public EpochInput ToInput(ulong block) => new()
    {
        N = N,
        Block = block,
        Stake = Stake,
        StakeFraction = StakeFraction,
        Weights = SparseMatrix.FromRows(Weights),
        Bonds = SparseMatrix.FromRows(Bonds),
        ValidatorPermit = Permit,
        LastUpdate = LastUpdate,
        BlockAtRegistration = BlockAtRegistration,
        LastMechanismStepBlock = LastMechanismStepBlock,
        CommitBlocks = Params.CommitReveal ? CommitBlocks : null,
    };

    /// <summary>Carries the stored bonds and new permits of an epoch to the next step.</summary>
    public void Carry(EpochResult r)
    {
        Bonds = r.Bonds.ToRows();
        Permit = (bool[])r.ValidatorPermit.Clone();
    }

    /// <summary>Applies the initial state object.</summary>
    public void ApplyInitial(JsonElement init)
    {
        Require(init.ValueKind == JsonValueKind.Object, "initial_state", "expected an object");
        Require(init.TryGetProperty("n", out var nEl), "initial_state.n", "required");
        Resize(ReadInt(nEl, "initial_state.n", 1, YumaEpoch.MaxUids));
        ApplyFields(init, "initial_state");
    }

    /// <summary>Applies a step's <c>set</c> in the schema's order: replace_neuron first, then the fields.</summary>
    public void ApplySet(JsonElement set, string path)
    {
        Require(set.ValueKind == JsonValueKind.Object, path, "expected an object");
        if (set.TryGetProperty("replace_neuron", out var rep))
        {
            Require(rep.ValueKind == JsonValueKind.Array, path + ".replace_neuron", "expected an array");
            int k = 0;
            foreach (var r in rep.EnumerateArray())
            {
                string p = $"{path}.replace_neuron[{k++}]";
                Require(r.ValueKind == JsonValueKind.Object, p, "expected {\"uid\", \"block\", \"stake\"}");
                Require(r.TryGetProperty("uid", out var u), p + ".uid", "required");
                Require(r.TryGetProperty("block", out var b), p + ".block", "required");
                int uid = ReadInt(u, p + ".uid", 0, N - 1);
                ulong blk = ReadU64(b, p + ".block");
                BlockAtRegistration[uid] = blk;
                SetLastUpdate(uid, blk);
                if (r.TryGetProperty("stake", out var s))
                {
                    Stake[uid] = ReadU64(s, p + ".stake");
                    if (StakeFraction is not null) StakeFraction[uid] = 0;
                }
                Permit[uid] = false;
                Weights[uid] = [];
                Bonds[uid] = [];
                foreach (var row in Weights)
                    for (int e = 0; e < row.Count; e++)
                        if (row[e].Col == uid) row[e] = (uid, 0);
            }
        }
        if (set.TryGetProperty("params", out var prm)) ApplyParams(prm, path + ".params");
        if (set.TryGetProperty("n", out var nEl)) Resize(ReadInt(nEl, path + ".n", 1, YumaEpoch.MaxUids));
        ApplyFields(set, path);
    }

    public void ApplyParams(JsonElement prm, string path)
    {
        Require(prm.ValueKind == JsonValueKind.Object, path, "expected an object");
        var p = Params;
        foreach (var prop in prm.EnumerateObject())
        {
            string f = $"{path}.{prop.Name}";
            var v = prop.Value;
            p = prop.Name switch
            {
                "tempo" => p with { Tempo = ReadU64(v, f) },
                "kappa" => p with { Kappa = (ushort)ReadInt(v, f, 0, ushort.MaxValue) },
                "bonds_moving_average" => p with { BondsMovingAverage = ReadU64(v, f) },
                "bonds_penalty" => p with { BondsPenalty = (ushort)ReadInt(v, f, 0, ushort.MaxValue) },
                "max_allowed_validators" => p with { MaxAllowedValidators = (ushort)ReadInt(v, f, 0, ushort.MaxValue) },
                "activity_cutoff_factor_milli" => p with { ActivityCutoffFactorMilli = ReadU64(v, f) },
                "activity_cutoff" => p with { ActivityCutoff = v.ValueKind == JsonValueKind.Null ? null : ReadU64(v, f) },
                "yuma3" => p with { Yuma3 = ReadBool(v, f) },
                "liquid_alpha" => p with { LiquidAlpha = ReadBool(v, f) },
                "alpha_low" => p with { AlphaLow = (ushort)ReadInt(v, f, 0, ushort.MaxValue) },
                "alpha_high" => p with { AlphaHigh = (ushort)ReadInt(v, f, 0, ushort.MaxValue) },
                "alpha_sigmoid_steepness" => p with { AlphaSigmoidSteepness = (short)ReadInt(v, f, short.MinValue, short.MaxValue) },
                "stake_threshold" => p with { StakeThreshold = ReadU64(v, f) },
                "owner_uid" => p with { OwnerUid = v.ValueKind == JsonValueKind.Null ? null : ReadInt(v, f, 0, YumaEpoch.MaxUids - 1) },
                "commit_reveal" => p with { CommitReveal = ReadBool(v, f) },
                "rao_emission" => p with { RaoEmission = ReadU64(v, f) },
                _ => throw Fail(f, "unknown parameter"),
            };
        }
        Params = p;
    }

    private void ApplyFields(JsonElement obj, string path)
    {
        foreach (var prop in obj.EnumerateObject())
        {
            string f = $"{path}.{prop.Name}";
            var v = prop.Value;
            switch (prop.Name)
            {
                case "n": case "params": case "replace_neuron": break;
                case "stake": UpdateVector(v, f, Stake, e => ReadU64(e, f)); break;
                case "stake_frac":
                    StakeFraction ??= new uint[N];
                    UpdateVector(v, f, StakeFraction, e => ReadU32(e, f));
                    break;
                case "validator_permit": UpdateVector(v, f, Permit, e => ReadBool(e, f)); break;
                case "block_at_registration": UpdateVector(v, f, BlockAtRegistration, e => ReadU64(e, f)); break;
                case "last_update": ApplyLastUpdate(v, f); break;
                case "weights": UpdateRows(v, f, Weights); break;
                case "bonds": UpdateRows(v, f, Bonds); break;
                case "clear_bond_columns":
                    Require(v.ValueKind == JsonValueKind.Array, f, "expected an array of columns");
                    foreach (var c in v.EnumerateArray())
                    {
                        int col = ReadInt(c, f, 0, ushort.MaxValue);
                        foreach (var row in Bonds) row.RemoveAll(e => e.Col == col);
                    }
                    break;
                case "last_mechanism_step_block": LastMechanismStepBlock = ReadU64(v, f); break;
                case "commit_blocks":
                    CommitBlocks ??= Enumerable.Repeat(ulong.MaxValue, N).ToArray();
                    UpdateVector(v, f, CommitBlocks, e => e.ValueKind == JsonValueKind.Null ? ulong.MaxValue : ReadU64(e, f));
                    break;
                default: throw Fail(f, "unknown field");
            }
        }
    }

    private void ApplyLastUpdate(JsonElement v, string f)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            // A full list may be longer than n (subtensor pads or ignores the rest); keep it as given.
            LastUpdate = v.EnumerateArray().Select(e => ReadU64(e, f)).ToArray();
            return;
        }
        Require(v.ValueKind == JsonValueKind.Object, f, "expected a list or an object {\"uid\": value}");
        foreach (var prop in v.EnumerateObject()) SetLastUpdate(ParseUid(prop.Name, f), ReadU64(prop.Value, $"{f}.{prop.Name}"));
    }

    private void SetLastUpdate(int uid, ulong value)
    {
        if (LastUpdate.Length <= uid) Array.Resize(ref LastUpdate, N);
        LastUpdate[uid] = value;
    }

    private void UpdateVector<T>(JsonElement v, string f, T[] target, Func<JsonElement, T> read)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            Require(v.GetArrayLength() == N, f, $"a full list must have n = {N} entries, got {v.GetArrayLength()}");
            int i = 0;
            foreach (var e in v.EnumerateArray()) target[i++] = read(e);
            return;
        }
        Require(v.ValueKind == JsonValueKind.Object, f, "expected a list or an object {\"uid\": value}");
        foreach (var prop in v.EnumerateObject()) target[ParseUid(prop.Name, f)] = read(prop.Value);
    }

    private void UpdateRows(JsonElement v, string f, List<(int Col, int Val)>[] rows)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            Require(v.GetArrayLength() <= N, f, $"has {v.GetArrayLength()} rows; n is {N}");
            int i = 0;
            foreach (var r in v.EnumerateArray()) rows[i] = ReadRow(r, $"{f}[{i++}]");
            for (; i < N; i++) rows[i] = [];
            return;
        }
        Require(v.ValueKind == JsonValueKind.Object, f, "expected a list of rows or an object {\"uid\": row}");
        foreach (var prop in v.EnumerateObject()) rows[ParseUid(prop.Name, f)] = ReadRow(prop.Value, $"{f}.{prop.Name}");
    }

    private List<(int, int)> ReadRow(JsonElement r, string f)
    {
        Require(r.ValueKind == JsonValueKind.Array, f, "a row is a list of [column, u16] pairs");
        var row = new List<(int, int)>();
        foreach (var e in r.EnumerateArray())
        {
            Require(e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 2, f, "each entry is [column, u16]");
            row.Add((ReadInt(e[0], f + " column", 0, ushort.MaxValue), ReadInt(e[1], f + " value", 0, ushort.MaxValue)));
        }
        return row;
    }

    private void Resize(int n)
    {
        N = n;
        Array.Resize(ref Stake, n);
        if (StakeFraction is not null) Array.Resize(ref StakeFraction, n);
        Array.Resize(ref Permit, n);
        Array.Resize(ref BlockAtRegistration, n);
        if (LastUpdate.Length < n) Array.Resize(ref LastUpdate, n);
        int old = Weights.Length;
        Array.Resize(ref Weights, n);
        Array.Resize(ref Bonds, n);
        for (int i = old; i < n; i++) { Weights[i] = []; Bonds[i] = []; }
        if (CommitBlocks is not null)
        {
            int oc = CommitBlocks.Length;
            Array.Resize(ref CommitBlocks, n);
            for (int i = oc; i < n; i++) CommitBlocks[i] = ulong.MaxValue;
        }
    }

    private int ParseUid(string key, string f)
    {
        if (!int.TryParse(key, out int uid) || uid < 0 || uid >= N) throw Fail($"{f}.{key}", $"uid must be in 0..{N - 1}");
        return uid;
    }

    private void Require(bool ok, string field, string message)
    {
        if (!ok) throw Fail(field, message);
    }

    private CaseFormatException Fail(string field, string message) => new(_case, field, message);

    private int ReadInt(JsonElement e, string f, int min, int max)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v) || v < min || v > max)
            throw Fail(f, $"expected an integer in {min}..{max}, got {e.GetRawText()}");
        return (int)v;
    }

    private ulong ReadU64(JsonElement e, string f)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt64(out ulong v))
            throw Fail(f, $"expected a non-negative integer, got {e.GetRawText()}");
        return v;
    }

    private uint ReadU32(JsonElement e, string f)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt32(out uint v))
            throw Fail(f, $"expected an integer in 0..{uint.MaxValue}, got {e.GetRawText()}");
        return v;
    }

    private bool ReadBool(JsonElement e, string f) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Fail(f, $"expected true or false, got {e.GetRawText()}"),
    };
}
