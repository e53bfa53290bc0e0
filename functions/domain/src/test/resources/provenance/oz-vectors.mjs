// Reference vectors for AnchorTreeTest, produced by OpenZeppelin's own library (not by Waybill code).
// Regenerate (outside the repo):
//   mkdir -p /tmp/oz && cd /tmp/oz && npm init -y && npm install @openzeppelin/merkle-tree@1.0.8
//   cp <repo>/functions/domain/src/test/resources/provenance/oz-vectors.mjs /tmp/oz/ && node /tmp/oz/oz-vectors.mjs > <repo>/functions/domain/src/test/resources/provenance/oz-vectors.json
// Values are SHA-256("waybill-event-" + i), i = 0..N-1, as 0x hex (stand-ins for event hashes).
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { createHash } from 'node:crypto';

const value = i => '0x' + createHash('sha256').update('waybill-event-' + i).digest('hex');
const cases = [1, 2, 3, 5, 8].map(n => {
  const values = Array.from({ length: n }, (_, i) => value(i));
  const tree = StandardMerkleTree.of(values.map(v => [v]), ['bytes32']);
  return {
    n,
    values,
    root: tree.root,
    proofs: values.map((_, i) => tree.getProof(i)),
    verified: values.every((v, i) => StandardMerkleTree.verify(tree.root, ['bytes32'], [v], tree.getProof(i))),
  };
});
console.log(JSON.stringify(cases, null, 2));
