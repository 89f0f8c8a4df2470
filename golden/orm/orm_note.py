"""The SQLAlchemy note's program, reconstructed from issue 6 (the note itself is not in this
repository): a declarative Person/Address model on sqlite, created with ``create_all``, one
person and one address added in two commits, then every person queried and the first one's
name printed.

What the issue does not say is filled in from the SQLAlchemy tutorial the note follows: the
person is named ``new person`` and the address has post code ``00000``; the program prints the
list ``query(Person).all()`` returns (whose repr shows object addresses) and then the first
person's name.

The note hard-codes ``sqlite:///sqlalchemy_example.db``; this reconstruction takes the URL and
SQLAlchemy's ``echo`` flag as arguments so that the suite can run it on a file of its choosing:

    /usr/bin/python3 orm_note.py [URL [--echo]]

``tools/pynotes/cpython_orm.py`` loads this file for the ``orm-note`` and ``orm`` commands, so
the model classes below are what the CPython adapter's scenarios use. Runs on SQLAlchemy 1.4.
"""

import sys

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import relationship, sessionmaker

Base = declarative_base()


class Person(Base):
    __tablename__ = "person"
    person_id = Column(Integer, primary_key=True)
    person_name = Column(String(250), nullable=False)


class Address(Base):
    __tablename__ = "address"
    id_ = Column(Integer, primary_key=True)
    street_name = Column(String(250))
    street_number = Column(String(250))
    post_code = Column(String(250), nullable=False)
    person_id = Column(Integer, ForeignKey("person.person_id"))
    person = relationship(Person)


def main(url="sqlite:///sqlalchemy_example.db", echo=False):
    """Runs the note's program against the database at ``url``."""
    engine = create_engine(url, echo=echo)
    Base.metadata.create_all(engine)

    DBSession = sessionmaker(bind=engine)
    session = DBSession()

    new_person = Person(person_name="new person")
    session.add(new_person)
    session.commit()

    new_address = Address(post_code="00000", person=new_person)
    session.add(new_address)
    session.commit()

    persons = session.query(Person).all()
    print(persons)
    print(persons[0].person_name)


if __name__ == "__main__":
    main(*sys.argv[1:2], echo="--echo" in sys.argv[2:])
