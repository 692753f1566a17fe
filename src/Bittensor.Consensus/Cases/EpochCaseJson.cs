using System.Text.Json;

namespace Bittensor.Consensus.Cases;

/// <summary>Writes an epoch's inputs as one case of <c>yuma-epoch-cases/1</c> with one step, so it can be re-run.</summary>
public static class EpochCaseJson
{
    /// <summary>Writes <c>{"name", "params", "initial_state", "steps": [{"block"}]}</c>.</summary>
    public static void WriteCase(Utf8JsonWriter w, string name, EpochParameters p, EpochInput x)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteStartObject("params");
        w.WriteNumber("tempo", p.Tempo);
        w.WriteNumber("kappa", p.Kappa);
        w.WriteNumber("bonds_moving_average", p.BondsMovingAverage);
        w.WriteNumber("bonds_penalty", p.BondsPenalty);
        w.WriteNumber("max_allowed_validators", p.MaxAllowedValidators);
        w.WriteNumber("activity_cutoff_factor_milli", p.ActivityCutoffFactorMilli);
        if (p.ActivityCutoff is ulong cutoff) w.WriteNumber("activity_cutoff", cutoff); else w.WriteNull("activity_cutoff");
        w.WriteBoolean("yuma3", p.Yuma3);
        w.WriteBoolean("liquid_alpha", p.LiquidAlpha);
        w.WriteNumber("alpha_low", p.AlphaLow);
        w.WriteNumber("alpha_high", p.AlphaHigh);
        w.WriteNumber("alpha_sigmoid_steepness", p.AlphaSigmoidSteepness);
        w.WriteNumber("stake_threshold", p.StakeThreshold);
        if (p.OwnerUid is int owner) w.WriteNumber("owner_uid", owner); else w.WriteNull("owner_uid");
        w.WriteBoolean("commit_reveal", p.CommitReveal);
        w.WriteNumber("rao_emission", p.RaoEmission);
        w.WriteEndObject();

        w.WriteStartObject("initial_state");
        w.WriteNumber("n", x.N);
        EpochResultJson.WriteU64(w, "stake", x.Stake);
        if (x.StakeFraction is { } fraction)
        {
            w.WriteStartArray("stake_frac");
            foreach (uint f in fraction) w.WriteNumberValue(f);
            w.WriteEndArray();
        }
        WriteRows(w, "weights", x.Weights);
        WriteRows(w, "bonds", x.Bonds);
        EpochResultJson.WriteBools(w, "validator_permit", x.ValidatorPermit);
        EpochResultJson.WriteU64(w, "last_update", x.LastUpdate);
        EpochResultJson.WriteU64(w, "block_at_registration", x.BlockAtRegistration);
        w.WriteNumber("last_mechanism_step_block", x.LastMechanismStepBlock);
        if (p.CommitReveal && x.CommitBlocks is { } commits)
        {
            w.WriteStartArray("commit_blocks");
            foreach (ulong c in commits) { if (c == ulong.MaxValue) w.WriteNullValue(); else w.WriteNumberValue(c); }
            w.WriteEndArray();
        }
        w.WriteEndObject();

        w.WriteStartArray("steps");
        w.WriteStartObject();
        w.WriteNumber("block", x.Block);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRows(Utf8JsonWriter w, string name, SparseMatrix m)
    {
        w.WriteStartArray(name);
        for (int i = 0; i < m.Rows; i++)
        {
            w.WriteStartArray();
            var cols = m.RowColumns(i);
            var vals = m.RowValues(i);
            for (int k = 0; k < cols.Length; k++)
            {
                w.WriteStartArray();
                w.WriteNumberValue(cols[k]);
                w.WriteNumberValue(vals[k]);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
