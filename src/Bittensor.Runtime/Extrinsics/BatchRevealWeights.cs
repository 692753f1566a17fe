using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Several reveals of the signer hotkey's commits on one subnet, all or none (parallel lists, one entry per reveal).</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.BatchRevealWeights")]
    public sealed record BatchRevealWeights : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        [Id(1)] public required ImmutableArray<ImmutableArray<ushort>> UidsList { get; init; }
        [Id(2)] public required ImmutableArray<ImmutableArray<ushort>> ValuesList { get; init; }
        [Id(3)] public required ImmutableArray<ImmutableArray<ushort>> SaltsList { get; init; }
        [Id(4)] public required ImmutableArray<ulong> VersionKeys { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>batch_reveal_weights</c> (<c>do_batch_reveal_weights</c>): see <see cref="BatchRevealWeights"/>.</summary>
    public sealed class BatchRevealWeightsCall : Extrinsic<BatchRevealWeights>
    {
        public override string Name => "batch_reveal_weights";

        public override BatchRevealWeights Parse(CallArgs a, string signer) => new()
        {
            Signer = signer, Netuid = a.U16("netuid"),
            UidsList = a.U16Arrays("uids_list", CommitReveal.MaxBatch), ValuesList = a.U16Arrays("values_list", CommitReveal.MaxBatch),
            SaltsList = a.U16Arrays("salts_list", CommitReveal.MaxBatch), VersionKeys = a.U64Array("version_keys", CommitReveal.MaxBatch),
        };

        /// <summary>
        /// As subtensor: the lists have one length; then every reveal is checked (its hash matches an unexpired commit whose
        /// reveal epoch this is) before any is applied; then each removes only its own commit and sets the weights in list
        /// order (the last one stands). Any failure rejects the whole batch.
        /// </summary>
        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, BatchRevealWeights b)
        {
            int count = b.UidsList.Length;
            if (b.ValuesList.Length != count || b.SaltsList.Length != count || b.VersionKeys.Length != count)
                return Fail(plan, Codes.InputLengthsUnequal,
                    $"uids_list, values_list, salts_list and version_keys have {count}, {b.ValuesList.Length}, {b.SaltsList.Length} and {b.VersionKeys.Length} entries");
            var (s, window, failure) = await Window.OpenAsync(plan, b.Netuid, b.Signer);
            if (failure is not null) return Fail(plan, failure);
            var hashes = Enumerable.Range(0, count)
                .Select(i => RevealWeightsCall.HashOf(b.Signer, b.Netuid, b.UidsList[i], b.ValuesList[i], b.SaltsList[i], b.VersionKeys[i])).ToList();
            foreach (string hash in hashes)
            {
                int position = window!.IndexOf(hash);
                if (position < 0) return Fail(plan, window.Unmatched(hash));
                if (window.TooEarly(window.Live[position]) is { } early) return Fail(plan, early);
            }
            var queue = window!.Live;
            for (int i = 0; i < count; i++)
            {
                int position = Window.IndexOf(queue, hashes[i]);
                if (position < 0) return Fail(plan, window.Unmatched(hashes[i])); // the same reveal twice
                queue = queue.RemoveAt(position);
                var weights = RevealWeightsCall.ToSetWeights(b.Signer, b.Netuid, b.UidsList[i], b.ValuesList[i], b.VersionKeys[i]);
                if (await SetWeightsCall.StoreAsync(plan, s!, weights, reveal: true) is { } rule) return Fail(plan, rule);
            }
            await window.KeepAsync(plan, queue);
            plan.Emit(new ChainEvent { Kind = EventKinds.WeightsBatchRevealed, Hotkey = b.Signer, Netuid = b.Netuid, Uid = window.Uid, Number = (ulong)count });
            return Done(plan, netuid: b.Netuid, uid: window.Uid);
        }
    }
}
