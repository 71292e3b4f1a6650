"""The LLM engine's parts: configuration, requests, calls with re-asks, grounding, map-reduce.

`evenhand.engines.llm.LLMEngine` puts them together; nothing here knows about the CLI or rendering.
"""
