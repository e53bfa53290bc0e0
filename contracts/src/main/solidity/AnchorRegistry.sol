// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title AnchorRegistry: Merkle roots of Waybill's provenance batches, one record per root.
/// @notice Anchor, don't store: only a batch's root goes on chain; the events and their proofs stay with Waybill
///         (and with whoever received a proof). A root is anchored once; its block is kept in storage, so
///         anchoredAt(root) answers even on a node that pruned old event logs.
contract AnchorRegistry {
    /// The account that may authorise and revoke anchorers (the deployer).
    address public immutable owner;

    /// Accounts allowed to call anchor().
    mapping(address => bool) public isAnchorer;

    /// The block each root was anchored in; 0 = never.
    mapping(bytes32 => uint256) private anchoredBlock;

    event AnchorerAuthorised(address indexed anchorer);
    event AnchorerRevoked(address indexed anchorer);
    event Anchored(bytes32 indexed root, uint64 count, string uri, address indexed anchorer);

    error NotOwner(address caller);
    error NotAnchorer(address caller);
    error ZeroAddress();
    error ZeroRoot();
    error EmptyBatch();
    error AlreadyAnchored(bytes32 root, uint256 blockNumber);

    constructor(address firstAnchorer) {
        owner = msg.sender;
        _authorise(firstAnchorer);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    function authorise(address anchorer) external onlyOwner {
        _authorise(anchorer);
    }

    function revoke(address anchorer) external onlyOwner {
        isAnchorer[anchorer] = false;
        emit AnchorerRevoked(anchorer);
    }

    /// @param root  the batch's Merkle root (OpenZeppelin StandardMerkleTree, leaves bytes32 event hashes)
    /// @param count how many events the batch holds
    /// @param uri   where the batch's proofs can be asked for (may be empty)
    function anchor(bytes32 root, uint64 count, string calldata uri) external {
        if (!isAnchorer[msg.sender]) revert NotAnchorer(msg.sender);
        if (root == bytes32(0)) revert ZeroRoot();
        if (count == 0) revert EmptyBatch();
        uint256 anchoredIn = anchoredBlock[root];
        if (anchoredIn != 0) revert AlreadyAnchored(root, anchoredIn);
        anchoredBlock[root] = block.number;
        emit Anchored(root, count, uri, msg.sender);
    }

    /// @return the block the root was anchored in, 0 when it never was
    function anchoredAt(bytes32 root) external view returns (uint256) {
        return anchoredBlock[root];
    }

    function _authorise(address anchorer) private {
        if (anchorer == address(0)) revert ZeroAddress();
        isAnchorer[anchorer] = true;
        emit AnchorerAuthorised(anchorer);
    }
}
