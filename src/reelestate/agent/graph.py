"""The conversation as a LangGraph graph, read top to bottom.

    intake -> think -> tools -> think ... -> present -> approval (interrupt) -> render -> wrap_up
                     \\-> wrap_up (nothing to approve yet)

A final render that failed or was cancelled goes back to `present`, so the turn ends waiting
for approval again; a preview the person cancelled ends the tool rounds the same way.

A storyboard that is ready and not yet delivered always ends the turn at the approval
interrupt, whichever brain is thinking: the final render cannot run without the user's yes.
"""

from __future__ import annotations

from typing import Literal

from langchain_core.messages import AIMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from reelestate.agent.brains.base import Brain
from reelestate.agent.context import AgentDeps
from reelestate.agent.nodes import AgentNodes, needs_approval
from reelestate.agent.state import AgentState, current_version

AgentGraph = CompiledStateGraph[AgentState, None, AgentState, AgentState]


def after_think(state: AgentState) -> Literal["tools", "present", "wrap_up"]:
    last = state["messages"][-1]
    if isinstance(last, AIMessage) and (last.tool_calls or last.invalid_tool_calls):
        return "tools"
    return "present" if needs_approval(state) else "wrap_up"


def after_tools(state: AgentState) -> Literal["think", "present", "wrap_up"]:
    turn = state.get("turn") or {}
    if turn.get("render_cancelled"):
        # A stopped render ends the message: no brain gets to start it again.
        return "present" if needs_approval(state) else "wrap_up"
    asked = turn.get("approval_asked", False)
    return "present" if asked and needs_approval(state) else "think"


def after_approval(state: AgentState) -> Literal["render", "think"]:
    number = current_version(state)
    approved = number is not None and state.get("approved_version") == number
    return "render" if approved and needs_approval(state) else "think"


def after_render(state: AgentState) -> Literal["present", "wrap_up"]:
    return "present" if needs_approval(state) else "wrap_up"


def build_graph(
    deps: AgentDeps, brain: Brain, checkpointer: BaseCheckpointSaver[str] | None = None
) -> AgentGraph:
    nodes = AgentNodes(deps, brain)
    graph = StateGraph(AgentState)
    graph.add_node("intake", nodes.intake)
    graph.add_node("think", nodes.think)
    graph.add_node("tools", nodes.run_tools)
    graph.add_node("present", nodes.present)
    graph.add_node("approval", nodes.approval)
    graph.add_node("render", nodes.render)
    graph.add_node("wrap_up", nodes.wrap_up)

    graph.add_edge(START, "intake")
    graph.add_edge("intake", "think")
    graph.add_conditional_edges("think", after_think)
    graph.add_conditional_edges("tools", after_tools)
    graph.add_edge("present", "approval")
    graph.add_conditional_edges("approval", after_approval)
    graph.add_conditional_edges("render", after_render)
    graph.add_edge("wrap_up", END)
    return graph.compile(checkpointer=checkpointer)
