"""The offline engine's analysis pieces, each usable on its own over `list[Article]`.

- `loaded`: loaded-language terms with quote detection (`loaded_terms`)
- `cues`: attribution and dispute cues in a sentence (`find_cues`)
- `align`: cross-source sentence alignment (`align`)
- `claims`: contested claims (`contested_claims`)
- `summary`: the neutral extractive summary (`neutral_summary`)
- `language`: the English-only guard (`looks_english`)
"""
