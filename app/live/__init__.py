"""Live classroom sessions: a teacher steps, every student's screen follows, the class answers
polls; and saved states reopened by a short link. State that outlives a request lives behind one
store interface (`store.py`): in this process by default, in Redis when BACKPROP_REDIS_URL is
set."""
