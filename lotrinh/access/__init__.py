"""Who may do what where: memberships of users in organisation units, with a role over the subtree."""
