"""Ask Brenda: answers from the team's own guidance, quoted and cited, or a clear refusal."""
