# The tutorial's thread program, its section 4.1, copied exactly; only this
# comment and the ANCHOR lines (which mark what the book shows) are added.
#
#     PYTHONUNBUFFERED=1 python3 book/python/seed_threads.py
# ANCHOR: program
import threading

# ANCHOR: targets
def print_numbers():
    for i in range(5):
        print("Number: ", i)

def print_letters():
    for letter in "ABCDE":
        print("Letter: ", letter)
# ANCHOR_END: targets

# Create two threads
numbers_thread = threading.Thread(target=print_numbers)
letters_thread = threading.Thread(target=print_letters)

# Start the threads
numbers_thread.start()
letters_thread.start()

# Wait for both threads to finish
numbers_thread.join()
letters_thread.join()

print("Done!")
# ANCHOR_END: program
